import { describe, expect, it } from "vitest";
import { expectValidWithProgress, RUN_TIMEOUT_MS, runWorkload } from "./testing/run-workload.ts";

// Every variant on a real ensemble, without faults: valid, and the leaders wrote. (Catching the bug under
// client-pause depends on the pause landing on the leader: bench/acceptance-election.ts reports it.)
describe("election workload on a real ensemble", { tags: ["docker"] }, () => {
  it.concurrent.each([
    ["naive", "zookeeper"],
    ["guarded", "node-zookeeper-client"],
    ["fenced", "node-zookeeper-client"],
  ])(
    "%s on %s: valid, with accepted leader writes",
    async (variant, client) => {
      const out = await runWorkload({ workload: "election", variant, client, rate: 20, seed: 12 });
      expect(out.spec.client).toBe(client);
      expectValidWithProgress(out);
      // guarded's writes are judged in ZooKeeper's order; the others' at the resource.
      const leader = out.results.checkers[variant === "guarded" ? "leader-safety-zk" : "leader-safety"]!;
      expect(leader.accepted).toBeGreaterThan(0);
      expect(leader.leaders).toBeGreaterThan(1); // resign hands leadership over
      expect(leader.rejected).toBe(0);
    },
    RUN_TIMEOUT_MS,
  );
});
