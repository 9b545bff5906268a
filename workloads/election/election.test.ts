import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runTest } from "../../harness/runner/run.ts";

const tmp = () => mkdtempSync(join(tmpdir(), "zk-chaos-election-test-"));

// Every variant on a real ensemble, without faults: valid, and the leaders wrote. (Catching the bug under
// client-pause depends on the pause landing on the leader: bench/acceptance-election.ts reports it.)
describe("election workload on a real ensemble", { tags: ["docker"] }, () => {
  it.each([
    ["naive", "zookeeper"],
    ["guarded", "node-zookeeper-client"],
    ["fenced", "node-zookeeper-client"],
  ])(
    "%s on %s: valid, with accepted leader writes",
    async (variant, client) => {
      const out = await runTest({
        workload: "election",
        variant,
        client,
        nemesis: ["none"],
        timeLimit: 10,
        clients: 3,
        rate: 20,
        seed: 12,
        results: tmp(),
      });
      const { results } = out;
      expect(out.spec.client).toBe(client);
      expect(results.valid).toBe(true);
      expect(results.stats.ok).toBeGreaterThan(0);
      const leader = results.checkers["leader-safety"]!;
      expect(leader.accepted).toBeGreaterThan(0);
      expect(leader.leaders).toBeGreaterThan(1); // resign hands leadership over
      expect(leader.rejected).toBe(0);
    },
    120_000,
  );
});
