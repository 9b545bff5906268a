import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runTest } from "../../harness/runner/run.ts";

const tmp = () => mkdtempSync(join(tmpdir(), "zk-chaos-lock-test-"));

// Every variant on a real ensemble, without faults: valid, and the lock made progress. (Catching the bug
// under client-pause depends on the pause landing on the holder: bench/acceptance-lock.ts reports it.)
describe("lock workload on a real ensemble", { tags: ["docker"] }, () => {
  it.each([
    ["naive", "zookeeper"],
    ["aware", "node-zookeeper-client"],
    ["fenced", "zookeeper"],
    ["fenced", "node-zookeeper-client"],
  ])(
    "%s on %s: valid, with accepted critical sections",
    async (variant, client) => {
      const out = await runTest({
        workload: "lock",
        variant,
        client,
        nemesis: ["none"],
        timeLimit: 10,
        clients: 3,
        rate: 20,
        seed: 11,
        results: tmp(),
      });
      const { results } = out;
      expect(results.valid).toBe(true);
      expect(results.stats.ok).toBeGreaterThan(0);
      const lock = results.checkers["lock-safety"]!;
      expect(lock.accepted).toBeGreaterThan(0);
      expect(lock.sections).toBeGreaterThan(0);
      expect(results.checkers["lost-updates"]).toMatchObject({ valid: true, lostUpdateCount: 0 });
      if (variant === "fenced") expect(lock.fencedEvents).toBe(lock.accepted);
    },
    120_000,
  );
});
