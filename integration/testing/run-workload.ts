/**
 * Test helper for the docker-tagged workload tests: one run of a workload on a real ensemble, without
 * faults (3 clients, 5 s) unless asked, into a fresh temporary results folder; and the check every such
 * run shares.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { afterAll } from "vitest";
import { runTest, type RunOutcome } from "../../harness/runner/run.ts";
import type { TestSpec } from "../../harness/runner/test-spec.ts";
import { withLogScope } from "../../kernel/log.ts";
import { dockerEnvironment } from "../../harness/cli/run-on-docker.ts";
import { sharedClusters } from "./shared-clusters.ts";

/** Per-test timeout for one such run (ensemble start, its ops, final phase, teardown). */
export const RUN_TIMEOUT_MS = 120_000;

export interface WorkloadRun {
  readonly workload: string;
  readonly variant: string;
  readonly client: string;
  /** Ops per second. */
  readonly rate: number;
  readonly seed: number;
}

// The file's runs share one ensemble (a chroot each): a run without faults needs no fresh one.
const clusters = sharedClusters();
afterAll(() => clusters.close(), 60_000);

/**
 * Run the workload with no nemesis for 5 s on 3 clients; results go to a new folder under the tmp dir.
 * Runs of a file may go together (it.concurrent): each keeps its own harness.log. `more` overrides the
 * spec; faults it asks for must leave the shared ensemble alone (client pauses in signal mode).
 */
export function runWorkload(run: WorkloadRun, more: Partial<TestSpec> = {}): Promise<RunOutcome> {
  return withLogScope(() =>
    runTest(
      {
        ...run,
        nemesis: ["none"],
        timeLimit: 5,
        clients: 3,
        results: mkdtempSync(join(tmpdir(), `zk-chaos-${run.workload}-test-`)),
        ...more,
      },
      { ...dockerEnvironment, clusters },
    ),
  );
}

/** The run made progress (more than `minOk` ok ops) and every checker found it valid. */
export function expectValidWithProgress(out: RunOutcome, minOk = 0): void {
  expect(out.results.stats["ok"]).toBeGreaterThan(minOk);
  expect(out.results.valid).toBe(true);
}
