import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Op } from "../kernel/op.ts";
import { expectValidWithProgress, RUN_TIMEOUT_MS, runWorkload } from "./testing/run-workload.ts";

type Micro = ["r" | "w", string, number | null];

/** The run's ok txns: how many only read, and how many read some keys and wrote others. */
function committed(dir: string): { snapshots: number; readWrites: number; writes: number } {
  const ops = readFileSync(join(dir, "history.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Op);
  const ok = ops.filter((o) => o.type === "ok" && o.f === "txn").map((o) => o.value as Micro[]);
  const reads = (t: Micro[]) => t.some((m) => m[0] === "r");
  const writes = (t: Micro[]) => t.some((m) => m[0] === "w");
  return {
    snapshots: ok.filter((t) => !writes(t)).length,
    readWrites: ok.filter((t) => reads(t) && writes(t)).length,
    writes: ok.filter(writes).length,
  };
}

// Without faults: atomic's txns commit whole (snapshots validated by a multi of checks); separate's calls
// one by one are caught by the same checker, as their reads land on both sides of other clients' txns.
describe.concurrent("multi (transactions) on a real ensemble, no faults", { tags: ["docker"] }, () => {
  it(
    "atomic on node-zookeeper-client: linearizable as a multi-register, with snapshots and read-write txns committed",
    async () => {
      const out = await runWorkload({
        workload: "multi",
        variant: "atomic",
        client: "node-zookeeper-client",
        rate: 60,
        seed: 21,
      });
      expectValidWithProgress(out, 50);
      const lin = out.results.checkers["linearizable"]!;
      expect(lin).toMatchObject({ valid: true, model: "multi-register", partitions: 1 });
      const c = committed(out.dir);
      expect(c.snapshots).toBeGreaterThan(0);
      expect(c.readWrites).toBeGreaterThan(0);
      expect(c.writes).toBeGreaterThan(0);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    "separate on zookeeper: the same txns as separate calls are not linearizable",
    async () => {
      const out = await runWorkload({
        workload: "multi",
        variant: "separate",
        client: "zookeeper",
        rate: 200,
        seed: 21,
      });
      const lin = out.results.checkers["linearizable"]!;
      expect(lin, JSON.stringify(lin).slice(0, 400)).toMatchObject({ valid: false, model: "multi-register" });
      expect(String((lin["evidence"] as { message?: string }).message)).toMatch(
        /no order could include txn\(/,
      );
    },
    RUN_TIMEOUT_MS,
  );
});
