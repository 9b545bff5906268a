import { describe, expect, it } from "vitest";
import { expectValidWithProgress, RUN_TIMEOUT_MS, runWorkload } from "./testing/run-workload.ts";

// Every variant on a real ensemble, without faults: valid, and the lock made progress. (Catching the bug
// under client-pause depends on the pause landing on the holder: bench/acceptance-lock.ts reports it.)
describe("lock workload on a real ensemble", { tags: ["docker"] }, () => {
  it.concurrent.each([
    ["naive", "zookeeper"],
    ["aware", "node-zookeeper-client"],
    ["fenced", "zookeeper"],
    ["fenced", "node-zookeeper-client"],
  ])(
    "%s on %s: valid, with accepted critical sections",
    async (variant, client) => {
      const out = await runWorkload({ workload: "lock", variant, client, rate: 20, seed: 11 });
      expectValidWithProgress(out);
      const lock = out.results.checkers["lock-safety"]!;
      expect(lock.accepted).toBeGreaterThan(0);
      expect(lock.sections).toBeGreaterThan(0);
      expect(out.results.checkers["lost-updates"]).toMatchObject({ valid: true, lostUpdateCount: 0 });
      if (variant === "fenced") expect(lock.fencedEvents).toBe(lock.accepted);
    },
    RUN_TIMEOUT_MS,
  );
});
