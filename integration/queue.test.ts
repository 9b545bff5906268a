import { describe, expect, it } from "vitest";
import { expectValidWithProgress, RUN_TIMEOUT_MS, runWorkload } from "./testing/run-workload.ts";

describe("queue on a real ensemble, no faults", { tags: ["docker"] }, () => {
  it.concurrent.each([
    ["naive", "zookeeper"],
    ["protected", "zookeeper"],
    ["naive", "node-zookeeper-client"],
    ["protected", "node-zookeeper-client"],
  ])(
    "%s on %s: every acknowledged enqueue dequeued exactly once",
    async (variant, client) => {
      const out = await runWorkload({ workload: "queue", variant, client, rate: 30, seed: 11 });
      const tq = out.results.checkers["total-queue"]!;
      expect(tq, JSON.stringify(tq)).toMatchObject({ valid: true, lostCount: 0, duplicatedCount: 0 });
      expect(tq["acknowledgedCount"]).toBeGreaterThan(20);
      expect(tq["dequeuedCount"]).toBe(tq["acknowledgedCount"]);
      expectValidWithProgress(out, 100);
    },
    RUN_TIMEOUT_MS,
  );
});
