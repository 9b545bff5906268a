import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runTest } from "../../harness/runner/run.ts";

const tmp = () => mkdtempSync(join(tmpdir(), "zk-chaos-queue-test-"));

describe("queue on a real ensemble, no faults", { tags: ["docker"] }, () => {
  it.each([
    ["naive", "zookeeper"],
    ["protected", "zookeeper"],
    ["naive", "node-zookeeper-client"],
    ["protected", "node-zookeeper-client"],
  ])(
    "%s on %s: every acknowledged enqueue dequeued exactly once",
    async (variant, client) => {
      const out = await runTest({
        workload: "queue",
        variant,
        client,
        nemesis: ["none"],
        timeLimit: 10,
        clients: 3,
        rate: 30,
        seed: 11,
        results: tmp(),
      });
      const tq = out.results.checkers["total-queue"]!;
      expect(tq, JSON.stringify(tq)).toMatchObject({ valid: true, lostCount: 0, duplicatedCount: 0 });
      expect(tq["acknowledgedCount"]).toBeGreaterThan(20);
      expect(tq["dequeuedCount"]).toBe(tq["acknowledgedCount"]);
      expect(out.results.stats["ok"]).toBeGreaterThan(100);
      expect(out.results.valid).toBe(true);
    },
    120_000,
  );
});
