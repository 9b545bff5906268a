import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dockerEnvironment } from "../harness/cli/run-on-docker.ts";
import { runTest } from "../harness/runner/run.ts";
import type { TestSpec } from "../harness/runner/test-spec.ts";
import { withLogScope } from "../kernel/log.ts";
import { LOCK_ROOT } from "../workloads/lock/index.ts";
import { sharedClusters } from "./testing/shared-clusters.ts";

const clusters = sharedClusters();
afterAll(() => clusters.close(), 60_000);

/**
 * The lock under client pauses every 5 s (each past the session timeout); the runner heals them. The pauses
 * stop the run's own worker processes (signal mode) and leave the ensemble alone, so both runs go together.
 * `more` may shorten the after-heal bound: a stuck lock is only told once it has passed.
 */
const run = (variant: string, more: Partial<TestSpec> = {}) =>
  withLogScope(() =>
    runTest(
      {
        workload: "lock",
        variant,
        nemesis: ["client-pause"],
        nemesisInterval: 5,
        timeLimit: 12,
        sessionTimeoutMs: 2000,
        clients: 3,
        rate: 20,
        seed: 3,
        results: mkdtempSync(join(tmpdir(), "zk-chaos-after-heal-test-")),
        ...more,
      },
      { ...dockerEnvironment, clusters },
    ),
  );

describe.concurrent("after-heal on a real ensemble", { tags: ["docker"] }, () => {
  it("persistent lock nodes: the lock is stuck after the heal, a leftover node behind it; still safe", async () => {
    const out = await run("persistent", { afterHealBoundMs: 6000 });
    const heal = out.results.checkers["after-heal"]!;
    expect(heal).toMatchObject({ valid: false, boundMs: 6000 });
    expect((heal.stuck as string[])[0]).toMatch(
      /^no critical succeeded after the last heal \(\d+ tried; the last: not acquired: timeout behind lock-/,
    );
    const last = (heal.ephemerals as { last: { nodes: { path: string; owner: string | null }[] } }).last;
    expect(last.nodes.some((n) => n.path.startsWith(`${LOCK_ROOT}/lock-`) && n.owner === null)).toBe(true);
    expect(out.results.checkers["lock-safety"]!.valid).toBe(true);
  }, 300_000);

  it("ephemeral lock nodes (fenced): a client takes the lock soon after the heal, no leftover", async () => {
    const out = await run("fenced");
    expect(out.results.valid).toBe(true);
    const heal = out.results.checkers["after-heal"]!;
    expect(heal).toMatchObject({
      valid: true,
      progress: { withinBound: true },
      ephemerals: { leakedCount: 0 },
    });
    expect((heal.ephemerals as { judgedListings: number }).judgedListings).toBeGreaterThan(0);
  }, 300_000);
});
