/**
 * Acceptance of the lock and election workloads under client pauses (DESIGN.md's scenario table): the
 * buggy variant should be reported invalid and the correct one valid under the same nemesis and seed.
 * Whether a run catches the bug depends on a pause landing on the lock holder / the leader (each pause
 * picks one client at random), so this reports numbers instead of asserting in CI.
 * Usage: npx tsx bench/acceptance.ts [--workload lock] [--variants naive,fenced] [--seeds 1,2,3]
 *        [--client zookeeper] [--time-limit 40] [--interval 2] [--clients 3] [--rate 20]
 * Prints one line per run and a JSON line last: {"bench":"acceptance","runs":[…]}.
 */
import { isNemesisOp } from "../kernel/op.ts";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runOnDocker } from "../harness/cli/run-on-docker.ts";

const { values } = parseArgs({
  options: {
    workload: { type: "string", default: "lock" },
    variants: { type: "string" },
    seeds: { type: "string", default: "1,2,3" },
    client: { type: "string", default: "zookeeper" },
    "time-limit": { type: "string", default: "40" },
    interval: { type: "string", default: "2" },
    clients: { type: "string", default: "3" },
    rate: { type: "string", default: "20" },
  },
});
const workload = values.workload!;
const variants = (
  values.variants ?? (workload === "election" ? "naive,guarded,fenced" : "naive,aware,fenced")
).split(",");
const seeds = values.seeds!.split(",").map(Number);

interface Row {
  workload: string;
  variant: string;
  client: string;
  seed: number;
  valid: unknown;
  pauses: number;
  /** Seconds from the first client op to the first violation the checkers report, if any. */
  firstViolationS: number | null;
  evidence: Record<string, unknown>;
  dir: string;
}

type Evidence = Record<string, unknown>;

const rows: Row[] = [];
for (const seed of seeds) {
  for (const variant of variants) {
    const out = await runOnDocker({
      workload,
      variant,
      client: values.client,
      nemesis: ["client-pause"],
      timeLimit: Number(values["time-limit"]),
      nemesisInterval: Number(values.interval),
      clients: Number(values.clients),
      rate: Number(values.rate),
      seed,
      results: mkdtempSync(join(tmpdir(), `zk-chaos-acceptance-${workload}-`)),
    });
    const history = readFileSync(join(out.dir, "history.jsonl"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { time: number; process: unknown; f: string; type: string });
    const checkers = out.results.checkers as Record<string, Evidence>;
    const evidence: Evidence = {};
    for (const [name, r] of Object.entries(checkers)) {
      if (name === "stats") continue;
      for (const k of [
        "valid",
        "overlapCount",
        "lostUpdateCount",
        "tokenRegressionCount",
        "staleWriteCount",
        "rejected",
        "accepted",
      ])
        if (k in r) evidence[`${name}.${k}`] = r[k];
    }
    const row: Row = {
      workload,
      variant,
      client: out.spec.client,
      seed,
      valid: out.results.valid,
      pauses: history.filter((o) => isNemesisOp(o) && o.f === "pause-client" && o.type === "info").length,
      firstViolationS: (out.results as { firstViolationS?: number }).firstViolationS ?? null,
      evidence,
      dir: out.dir,
    };
    rows.push(row);
    console.log(
      `${workload} ${variant} on ${row.client} seed ${seed}: valid=${String(row.valid)} pauses=${row.pauses}` +
        ` first violation ${row.firstViolationS === null ? "—" : `${row.firstViolationS}s`} ${JSON.stringify(evidence)}`,
    );
  }
}
console.log(JSON.stringify({ bench: "acceptance", runs: rows }));
