/**
 * Checker speed on the shared corpora (../shared/corpus, see its README for Porcupine's figures).
 * Prints one JSON line per group — {bench, group, files, total_ms, slowest_file, slowest_ms, mismatches,
 * warm_total_ms} — then the peak RSS. Times are checking time (parsing excluded, as in Porcupine's
 * figures) of the first pass in this process (JIT warm-up included); warm_total_ms is a second pass over
 * the same group. Run: npm run bench:checker
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseHistory } from "../checkers/formats/index.ts";
import type { ParsedHistory } from "../checkers/formats/index.ts";
import { checkLinearizable } from "../checkers/linearizable/linearizable.ts";
import { modelByName } from "../checkers/linearizable/models/index.ts";
import { freshBuildEntry } from "../bin/fresh-build.js";
import { median } from "./stats.ts";

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

// Porcupine's whole-process times (go test, one process per corpus) on this machine type, from issue 18's
// measurements.
const PORCUPINE_ETCD_CORPUS_S = 0.38;
const PORCUPINE_KV_C50_OK_S = 0.24;

const BIN = path.join(repoRoot, "bin/zk-chaos.js");
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 7) || 7);

/** Median and min wall time of `node bin/zk-chaos.js ...args`, which must exit with `code`. */
function timeCli(args: readonly string[], code: number): { median_ms: number; min_ms: number } {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [BIN, ...args], {
      cwd: repoRoot,
      stdio: ["ignore", "ignore", "pipe"],
    });
    times.push(performance.now() - t0);
    if (r.status !== code)
      throw new Error(`zk-chaos ${args[0]} exited ${r.status}, expected ${code}: ${String(r.stderr).trim()}`);
  }
  return { median_ms: Math.round(median(times)), min_ms: Math.round(Math.min(...times)) };
}

const skipped = (group: string, where: string): void =>
  console.log(JSON.stringify({ bench: "checker-process", group, skipped: `not found at ${where}` }));

function processes(): void {
  // Which CLI the bin runs: the compiled one only when `npm run build` is up to date.
  const cli = freshBuildEntry(repoRoot) ? "compiled" : "sources (tsx): run npm run build";
  console.log(
    JSON.stringify({
      bench: "checker-process",
      group: "startup (--version)",
      cli,
      runs: RUNS,
      ...timeCli(["--version"], 0),
    }),
  );
  const rows: { group: string; files: string[]; code: number; porcupine_s: number }[] = [];
  const etcd = path.join(corpus, "porcupine-etcd");
  if (existsSync(etcd)) {
    const verdicts = manifest(etcd);
    const files = [...verdicts.keys()].sort().map((f) => path.join(etcd, f));
    rows.push({
      group: "etcd",
      files,
      code: [...verdicts.values()].every(Boolean) ? 0 : 1,
      porcupine_s: PORCUPINE_ETCD_CORPUS_S,
    });
  } else skipped("etcd", etcd);
  const c50 = path.join(corpus, "porcupine-kv", "c50-ok.txt");
  if (existsSync(c50))
    rows.push({ group: "kv c50-ok", files: [c50], code: 0, porcupine_s: PORCUPINE_KV_C50_OK_S });
  else skipped("kv c50-ok", c50);
  for (const r of rows) {
    const t = timeCli(["check", ...r.files], r.code);
    const porcupine_ms = r.porcupine_s * 1000;
    console.log(
      JSON.stringify({
        bench: "checker-process",
        group: r.group,
        files: r.files.length,
        cli,
        runs: RUNS,
        ...t,
        porcupine_ms,
        vs_porcupine: Math.round((t.median_ms / porcupine_ms) * 100) / 100,
      }),
    );
  }
}

if (!existsSync(corpus)) {
  console.log(JSON.stringify({ bench: "checker", skipped: `corpus not found at ${corpus}` }));
} else {
  for (const g of GROUPS) if (existsSync(path.join(corpus, g.dir))) run(g);
  console.log(
    JSON.stringify({ bench: "checker", peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) }),
  );
  processes();
}
