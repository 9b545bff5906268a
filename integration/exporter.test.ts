import { describe, expect, it } from "vitest";
import { expectValidWithProgress, RUN_TIMEOUT_MS, runWorkload } from "./testing/run-workload.ts";

const run = (variant: string, client: string) =>
  runWorkload({ workload: "exporter", variant, client, rate: 30, seed: 12 });

describe.concurrent("exporter on a real ensemble, no faults", { tags: ["docker"] }, () => {
  it.each(["zookeeper", "node-zookeeper-client"])(
    "deduped on %s: each event applied once, none lost",
    async (client) => {
      const out = await run("deduped", client);
      const dw = out.results.checkers["duplicate-writes"]!;
      expect(dw, JSON.stringify(dw)).toMatchObject({ valid: true, duplicatedCount: 0, lostCount: 0 });
      expect(dw["acknowledgedCount"]).toBeGreaterThan(20);
      expect(dw["appliedCount"]).toBe(dw["acknowledgedCount"]);
      expectValidWithProgress(out, 50);
    },
    RUN_TIMEOUT_MS,
  );

  it.each(["zookeeper", "node-zookeeper-client"])(
    "naive on %s: every instance writes every event — invalid without any fault",
    async (client) => {
      const out = await run("naive", client);
      const dw = out.results.checkers["duplicate-writes"]!;
      expect(dw, JSON.stringify(dw)).toMatchObject({ valid: false, lostCount: 0 });
      // Three instances, each writes every event once.
      expect(dw["duplicatedCount"]).toBe(dw["appliedCount"]);
      expect(out.results.stats["ok"]).toBeGreaterThan(50);
      expect(out.results.valid).toBe(false);
    },
    RUN_TIMEOUT_MS,
  );
});
