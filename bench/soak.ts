/**
 * Soak: one long run with every nemesis (partition, latency, pause, kill, client-pause), sampling this
 * harness process's memory every --sample seconds (after a GC when run with --expose-gc, as the npm script
 * does) and its workers' total RSS. Writes memory.csv and soak.json beside the run's results and prints the
 * curve: start, max, end and the least-squares slope (MB/min) of RSS and heap over the main phase, and the
 * heap per recorded op. The history (and the resource log) stay in memory for the checkers by design, so
 * heap grows linearly with ops; anything beyond that is a leak.
 * Run: npm run bench:soak [-- --minutes 30 --rate 100 --clients 5 --sample 10 --nemesis partition,kill,…]
 */
import { isNemesisOp, PHASE_F } from "../kernel/op.ts";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execFile } from "../kernel/exec.ts";
import type { RunProgress } from "../harness/runner/run.ts";
import { runOnDocker } from "../harness/cli/run-on-docker.ts";

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : dflt;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
};
const strArg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};

interface Sample {
  t_min: number;
  phase: string;
  ops: number;
  rss_mb: number;
  heap_used_mb: number;
  heap_total_mb: number;
  external_mb: number;
  workers_rss_mb: number;
}

const MB = 2 ** 20;
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

async function workersRssMb(): Promise<number> {
  const r = await execFile("ps", ["-o", "rss=", "--ppid", String(process.pid)]).catch(() => null);
  if (!r) return 0;
  return r.stdout
    .split("\n")
    .map((l) => Number(l.trim()))
    .filter((n) => n > 0)
    .reduce((a, b) => a + b / 1024, 0);
}

function curve(samples: Sample[], key: "rss_mb" | "heap_used_mb" | "workers_rss_mb") {
  const ys = samples.map((s) => s[key]);
  return {
    start: ys[0] ?? 0,
    max: Math.max(...ys),
    end: ys.at(-1) ?? 0,
    slope_mb_per_min: round(
      slope(
        samples.map((s) => s.t_min),
        ys,
      ),
      2,
    ),
  };
}

/** Fault events of the run by f (start and stop of each kind). */
function nemesisCounts(file: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line.includes('"nemesis"')) continue;
    const op = JSON.parse(line) as { process: unknown; type: string; f: string };
    if (isNemesisOp(op) && op.type === "info" && op.f !== PHASE_F) counts[op.f] = (counts[op.f] ?? 0) + 1;
  }
  return counts;
}

async function main(): Promise<void> {
  const minutes = arg("minutes", 30);
  const every = arg("sample", 10);
  const spec = {
    workload: strArg("workload", "register"),
    variant: strArg("variant", "sync"),
    clients: arg("clients", 5),
    rate: arg("rate", 100),
    nodes: 3,
    nemesis: strArg("nemesis", "partition,latency,pause,kill,client-pause").split(","),
    nemesisInterval: arg("nemesis-interval", 10),
    timeLimit: minutes * 60,
    results: strArg("results", "results/soak"),
    seed: arg("seed", 1),
  };
  const gc = (globalThis as { gc?: () => void }).gc;
  const samples: Sample[] = [];
  let progress: RunProgress = {
    phase: "starting",
    opsDone: 0,
    faultsActive: [],
    secondsLeft: spec.timeLimit,
  };
  const t0 = performance.now();
  const sample = async () => {
    gc?.();
    const m = process.memoryUsage();
    const s: Sample = {
      t_min: round((performance.now() - t0) / 60_000, 2),
      phase: progress.phase,
      ops: progress.opsDone,
      rss_mb: round(m.rss / MB),
      heap_used_mb: round(m.heapUsed / MB),
      heap_total_mb: round(m.heapTotal / MB),
      external_mb: round(m.external / MB),
      workers_rss_mb: round(await workersRssMb()),
    };
    samples.push(s);
    process.stderr.write(
      `[${s.t_min.toFixed(1)} min] ${s.phase}: ${s.ops} ops, rss ${s.rss_mb} MB, heap ${s.heap_used_mb} MB, workers ${s.workers_rss_mb} MB\n`,
    );
  };
  console.log(JSON.stringify({ bench: "soak", minutes, sample_s: every, gc: gc !== undefined, spec }));
  await sample();
  const timer = setInterval(() => void sample(), every * 1000);
  let outcome;
  try {
    outcome = await runOnDocker(spec, { onProgress: (p) => (progress = p) });
  } finally {
    clearInterval(timer);
  }
  progress = { ...progress, phase: "done" };
  await sample();

  // The main phase: running with the workers alive (the progress phase lags by up to a second; a sample
  // taken while the checkers run would count their search cache as the harness's growth).
  const workersMax = Math.max(...samples.map((s) => s.workers_rss_mb));
  const running = samples.filter(
    (s) => (s.phase === "running" || s.phase === "healing") && s.workers_rss_mb >= workersMax / 2,
  );
  const ops = outcome.results.stats.ops as number;
  const firstRun = running[0];
  const lastRun = running.at(-1);
  const heapPerOp =
    firstRun && lastRun && lastRun.ops > firstRun.ops
      ? Math.round(((lastRun.heap_used_mb - firstRun.heap_used_mb) * MB) / (lastRun.ops - firstRun.ops))
      : null;
  const summary = {
    bench: "soak",
    minutes,
    ops,
    valid: outcome.results.valid,
    checkers: Object.fromEntries(Object.entries(outcome.results.checkers).map(([k, v]) => [k, v.valid])),
    stats: outcome.results.stats,
    faults: nemesisCounts(join(outcome.dir, "history.jsonl")),
    samples: samples.length,
    main_phase: {
      rss: curve(running, "rss_mb"),
      heap_used: curve(running, "heap_used_mb"),
      workers_rss: curve(running, "workers_rss_mb"),
    },
    heap_bytes_per_op: heapPerOp,
    whole_run: { rss: curve(samples, "rss_mb"), heap_used: curve(samples, "heap_used_mb") },
    dir: outcome.dir,
  };
  const out = join(outcome.dir, "soak");
  mkdirSync(out, { recursive: true });
  const cols = Object.keys(samples[0]!) as (keyof Sample)[];
  writeFileSync(
    join(out, "memory.csv"),
    [cols.join(","), ...samples.map((s) => cols.map((c) => s[c]).join(","))].join("\n") + "\n",
  );
  writeFileSync(join(out, "soak.json"), JSON.stringify({ summary, samples }, null, 2) + "\n");
  console.log(JSON.stringify(summary));
}

await main();
process.exit(0);
