/**
 * Detection acceptance: each workload's buggy variant (its first) and its fix, under the workload's own
 * faults (defaultNemesis) with aimed client faults (--target auto), over a range of seeds. Prints one line
 * per run, then per variant how many runs came out as they should (buggy: invalid; fix: valid) and the
 * median time to first violation, then a JSON line. Runs one at a time (an ensemble each).
 * Usage: npx tsx bench/detection.ts [--workloads lock,election,queue,exporter,register,./examples/lease-lock/lease-lock.ts]
 *        [--seeds 101-110] [--time-limit 30] [--variants naive,fenced] [--nemesis N] [--results DIR]
 *        [--extra '{"zkVersion":"3.4"}']   (more spec fields, as JSON)
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runOnDocker } from "../harness/cli/run-on-docker.ts";
import { guardRun } from "../harness/cli/run-guard.ts";
import { resolveWorkload } from "../harness/runner/load-workload.ts";
import { median } from "./stats.ts";

const { values } = parseArgs({
  options: {
    workloads: {
      type: "string",
      default: "lock,election,queue,exporter,register,./examples/lease-lock/lease-lock.ts",
    },
    seeds: { type: "string", default: "101-110" },
    "time-limit": { type: "string", default: "30" },
    variants: { type: "string" },
    nemesis: { type: "string" },
    results: { type: "string" },
    extra: { type: "string", default: "{}" },
  },
});

function seedList(s: string): number[] {
  return s.split(",").flatMap((part) => {
    const [a, b] = part.split("-").map(Number);
    return b === undefined ? [a!] : Array.from({ length: b - a! + 1 }, (_, i) => a! + i);
  });
}

interface Row {
  workload: string;
  variant: string;
  expected: "invalid" | "valid";
  nemesis: string;
  seed: number;
  verdict: string;
  firstViolationS: number | null;
  seconds: number;
  dir: string;
}

const seeds = seedList(values.seeds!);
const extra = JSON.parse(values.extra!) as Record<string, unknown>;
const results = values.results ?? mkdtempSync(join(tmpdir(), "zk-chaos-detection-"));
const rows: Row[] = [];
// Ctrl-C ends the run in progress as the CLI does (heal, tear down, check) and skips the rest.
const abort = new AbortController();
const guard = guardRun(abort);
for (const ref of values.workloads!.split(",")) {
  const workload = await resolveWorkload(ref);
  const fix = workload.fixedVariants?.[0] ?? workload.variants.at(-1)!;
  const buggy = workload.variants.find((v) => !(workload.fixedVariants ?? [fix]).includes(v))!;
  const variants = values.variants
    ? values.variants.split(",").filter((v) => workload.variants.includes(v))
    : [buggy, fix];
  const nemesis = values.nemesis ?? workload.defaultNemesis ?? "partition,client-pause";
  for (const variant of variants) {
    const expected = (workload.fixedVariants ?? [fix]).includes(variant) ? "valid" : "invalid";
    for (const seed of seeds) {
      if (abort.signal.aborted) break;
      const started = Date.now();
      let out: Awaited<ReturnType<typeof runOnDocker>>;
      try {
        out = await runOnDocker(
          {
            ...extra,
            workload: ref,
            variant,
            nemesis,
            target: "auto",
            timeLimit: Number(values["time-limit"]),
            seed,
            results,
          },
          { signal: abort.signal },
        );
      } catch (err) {
        // A run the harness could not complete is a row of its own, not the end of the bench.
        const seconds = Math.round((Date.now() - started) / 1000);
        rows.push({
          workload: workload.name,
          variant,
          expected,
          nemesis,
          seed,
          verdict: "error",
          firstViolationS: null,
          seconds,
          dir: "",
        });
        console.log(
          `${workload.name} ${variant} (${nemesis}) seed ${seed}: error: ${(err as Error).message.split("\n")[0]}`,
        );
        continue;
      }
      const valid = out.results.valid;
      const row: Row = {
        workload: workload.name,
        variant,
        expected,
        nemesis,
        seed,
        verdict: valid === true ? "valid" : valid === false ? "invalid" : "unknown",
        firstViolationS: (out.results as { firstViolationS?: number }).firstViolationS ?? null,
        seconds: Math.round((Date.now() - started) / 1000),
        dir: out.dir,
      };
      rows.push(row);
      console.log(
        `${row.workload} ${variant} (${nemesis}) seed ${seed}: ${row.verdict}` +
          `${row.firstViolationS !== null ? `, first violation ${row.firstViolationS} s` : ""} [${row.seconds} s] ${out.dir}`,
      );
    }
  }
}

guard.dispose();
console.log("\n| workload | variant | nemesis | expected | as expected | median first violation |");
console.log("|---|---|---|---|---|---|");
const cells = new Map<string, Row[]>();
for (const r of rows)
  cells.set(`${r.workload}\0${r.variant}`, [...(cells.get(`${r.workload}\0${r.variant}`) ?? []), r]);
for (const rs of cells.values()) {
  const r0 = rs[0]!;
  const ok = rs.filter((r) => r.verdict === r0.expected).length;
  const m = median(rs.flatMap((r) => (r.firstViolationS !== null ? [r.firstViolationS] : [])));
  console.log(
    `| ${r0.workload} | ${r0.variant} | ${r0.nemesis} | ${r0.expected} | ${ok}/${rs.length} | ${Number.isNaN(m) ? "—" : `${m.toFixed(1)} s`} |`,
  );
}
console.log(
  JSON.stringify({ bench: "detection", seeds, timeLimit: Number(values["time-limit"]), extra, rows }),
);
