import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectValidWithProgress, RUN_TIMEOUT_MS, runWorkload } from "./testing/run-workload.ts";

describe("cache on a real ensemble", { tags: ["docker"] }, () => {
  it.concurrent.each([
    ["naive", "zookeeper"],
    ["resync", "zookeeper"],
    ["naive", "node-zookeeper-client"],
    ["resync", "node-zookeeper-client"],
  ])(
    "%s on %s, no faults: every copy follows the writes through its watches and equals the truth at the end",
    async (variant, client) => {
      const out = await runWorkload({ workload: "cache", variant, client, rate: 40, seed: 12 });
      const missed = out.results.checkers["missed-updates"]!;
      expect(missed, JSON.stringify(missed)).toMatchObject({ valid: true, missedCount: 0 });
      expect(missed["acknowledgedWrites"]).toBeGreaterThan(20);
      expect(missed["copiesChecked"]).toBeGreaterThan(20);
      expect(out.results.checkers["cache-order"]!["checkedReads"]).toBeGreaterThan(20);
      expect(out.results.checkers["cache-convergence"]).toMatchObject({ valid: true, convergedClients: 3 });
      expectValidWithProgress(out, 50);
    },
    RUN_TIMEOUT_MS,
  );

  // The pauses stop the run's own worker processes and leave the ensemble alone: it goes with the rest.
  it.concurrent(
    "resync stays valid while clients are paused past their session timeout (SIGSTOP)",
    async () => {
      const out = await runWorkload(
        { workload: "cache", variant: "resync", client: "zookeeper", rate: 40, seed: 13 },
        {
          nemesis: ["client-pause"],
          clientPauseMode: "signal",
          nemesisInterval: 4,
          sessionTimeoutMs: 2000,
          timeLimit: 12,
        },
      );
      const pauses = readFileSync(join(out.dir, "history.jsonl"), "utf8")
        .split("\n")
        .filter((l) => l.includes('"f":"pause-client"') && l.includes('"type":"info"'));
      expect(pauses.length).toBeGreaterThan(0);
      expect(out.results.checkers["missed-updates"], JSON.stringify(out.results.checkers)).toMatchObject({
        valid: true,
      });
      expectValidWithProgress(out, 50);
    },
    2 * RUN_TIMEOUT_MS,
  );
});
