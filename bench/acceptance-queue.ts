/**
 * Acceptance loop for the queue and exporter workloads (too long for CI): every variant × nemesis × seed,
 * one run each, one verdict line per run and a JSON summary at the end. What it should show: the buggy
 * variant invalid where its fault bites (queue naive: a create whose reply is lost, i.e. connection loss
 * mid-create; exporter naive: always), the correct variant valid under the same nemesis and seed.
 * Usage: npx tsx bench/acceptance-queue.ts [--workloads queue,exporter] [--nemeses partition,kill,pause]
 *        [--seeds 1,2,3] [--seconds 40] [--interval 5] [--client zookeeper] [--clients 3] [--rate 30]
 *        [--results DIR]
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runOnDocker } from "../harness/cli/run-on-docker.ts";
import { workloadByName } from "../workloads/index.ts";

const { values } = parseArgs({
  options: {
    workloads: { type: "string", default: "queue,exporter" },
    nemeses: { type: "string", default: "partition,kill,pause" },
    seeds: { type: "string", default: "1,2,3" },
    seconds: { type: "string", default: "40" },
    interval: { type: "string", default: "5" },
    client: { type: "string", default: "zookeeper" },
    clients: { type: "string", default: "3" },
    rate: { type: "string", default: "30" },
    results: { type: "string" },
  },
});
const list = (s: string) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
const results = values.results ?? mkdtempSync(join(tmpdir(), "zk-chaos-acceptance-queue-"));
const rows: Record<string, unknown>[] = [];

for (const workload of list(values.workloads))
  for (const nemesis of list(values.nemeses))
    for (const seed of list(values.seeds).map(Number))
      for (const variant of workloadByName(workload).variants) {
        const t0 = performance.now();
        try {
          const out = await runOnDocker({
            workload,
            variant,
            client: values.client,
            nemesis: [nemesis],
            timeLimit: Number(values.seconds),
            nemesisInterval: Number(values.interval),
            clients: Number(values.clients),
            rate: Number(values.rate),
            seed,
            results,
          });
          const main = Object.entries(out.results.checkers).find(
            ([n]) => n !== "stats" && n !== "sink-repeats",
          );
          const evidence = main?.[1] ?? {};
          const counts = Object.fromEntries(Object.entries(evidence).filter(([k]) => k.endsWith("Count")));
          const row = {
            workload,
            variant,
            nemesis,
            seed,
            valid: out.results.valid,
            ...counts,
            info: out.results.stats["info"],
            seconds: Math.round((performance.now() - t0) / 1000),
            dir: out.dir,
          };
          rows.push(row);
          process.stderr.write(`${JSON.stringify(row)}\n`);
        } catch (err) {
          const row = { workload, variant, nemesis, seed, valid: "error", error: String(err) };
          rows.push(row);
          process.stderr.write(`${JSON.stringify(row)}\n`);
        }
      }

console.log(JSON.stringify({ bench: "acceptance-queue", results, rows }, null, 2));
