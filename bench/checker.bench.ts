/**
 * Checker speed on the shared corpora (../shared/corpus, see its README for Porcupine's figures).
 * Prints one JSON line per group — {bench, group, files, total_ms, slowest_file, slowest_ms, mismatches,
 * warm_total_ms} — then the peak RSS. Times are checking time (parsing excluded, as in Porcupine's
 * figures) of the first pass in this process (JIT warm-up included); warm_total_ms is a second pass over
 * the same group. Run: npm run bench:checker
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseHistory } from "../checkers/formats/index.ts";
import type { ParsedHistory } from "../checkers/formats/index.ts";
import { checkLinearizable } from "../checkers/linearizable/linearizable.ts";
import { modelByName } from "../checkers/linearizable/models/index.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const corpus = path.resolve(repoRoot, "../shared/corpus");

interface Group {
  readonly group: string;
  readonly dir: string;
  readonly model: string;
  readonly partition: boolean;
  readonly only?: (file: string) => boolean;
}

const GROUPS: readonly Group[] = [
  { group: "etcd", dir: "porcupine-etcd", model: "cas-register", partition: true },
  { group: "kv", dir: "porcupine-kv", model: "kv", partition: true },
  {
    group: "kv-c10-unpartitioned",
    dir: "porcupine-kv",
    model: "kv",
    partition: false,
    only: (f) => f.startsWith("c10-"),
  },
];

/** Expected verdicts from MANIFEST.tsv ("true"/"false"; anything else: no verdict). */
function manifest(dir: string): Map<string, boolean> {
  const m = new Map<string, boolean>();
  const lines = readFileSync(path.join(dir, "MANIFEST.tsv"), "utf8").trim().split("\n").slice(1);
  for (const line of lines) {
    const [file, verdict] = line.split("\t");
    if (file && (verdict === "true" || verdict === "false")) m.set(file, verdict === "true");
  }
  return m;
}

function run(g: Group): void {
  const dir = path.join(corpus, g.dir);
  const expected = manifest(dir);
  const files = readdirSync(dir)
    .filter((f) => expected.has(f) && (g.only?.(f) ?? true))
    .sort();
  const parsed: [string, ParsedHistory][] = files.map((f) => [
    f,
    parseHistory(readFileSync(path.join(dir, f), "utf8"), f),
  ]);
  let total = 0;
  let slowest = { file: "", ms: 0 };
  let mismatches = 0;
  let warm = 0;
  for (let pass = 0; pass < 2; pass++) {
    for (const [file, p] of parsed) {
      const model = modelByName(g.model)!;
      const t0 = performance.now();
      const r = checkLinearizable(p.history, model, { clock: p.clock, partition: g.partition });
      const ms = performance.now() - t0;
      if (pass === 1) {
        warm += ms;
        continue;
      }
      total += ms;
      if (ms > slowest.ms) slowest = { file, ms };
      if (r.valid !== expected.get(file)) mismatches++;
    }
  }
  const round = (x: number): number => Math.round(x * 10) / 10;
  console.log(
    JSON.stringify({
      bench: "checker",
      group: g.group,
      files: files.length,
      total_ms: round(total),
      slowest_file: slowest.file,
      slowest_ms: round(slowest.ms),
      mismatches,
      warm_total_ms: round(warm),
    }),
  );
}

if (!existsSync(corpus)) {
  console.log(JSON.stringify({ bench: "checker", skipped: `corpus not found at ${corpus}` }));
} else {
  for (const g of GROUPS) if (existsSync(path.join(corpus, g.dir))) run(g);
  console.log(
    JSON.stringify({ bench: "checker", peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) }),
  );
}
