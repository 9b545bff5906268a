import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runTest } from "../../harness/runner/run.ts";

const tmp = () => mkdtempSync(join(tmpdir(), "zk-chaos-exporter-test-"));
const run = (variant: string, client: string) =>
  runTest({
    workload: "exporter",
    variant,
    client,
    nemesis: ["none"],
    timeLimit: 10,
    clients: 3,
    rate: 30,
    seed: 12,
    results: tmp(),
  });

describe("exporter on a real ensemble, no faults", { tags: ["docker"] }, () => {
  it.each(["zookeeper", "node-zookeeper-client"])(
    "deduped on %s: each event applied once, none lost",
    async (client) => {
      const out = await run("deduped", client);
      const dw = out.results.checkers["duplicate-writes"]!;
      expect(dw, JSON.stringify(dw)).toMatchObject({ valid: true, duplicatedCount: 0, lostCount: 0 });
      expect(dw["acknowledgedCount"]).toBeGreaterThan(20);
      expect(dw["appliedCount"]).toBe(dw["acknowledgedCount"]);
      expect(out.results.stats["ok"]).toBeGreaterThan(50);
      expect(out.results.valid).toBe(true);
    },
    120_000,
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
    120_000,
  );
});
