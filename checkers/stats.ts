/**
 * Performance statistics (Jepsen's perf checker, as data): latency quantiles per `f` and outcome,
 * throughput per time bucket, and nemesis windows (start-X … stop-X, pause … resume, kill … start from the
 * "nemesis" process). Always valid: it measures, it does not judge. Times in the output are milliseconds
 * since test start (the history's ns clock / 1e6).
 */
import { type Op, isNemesisOp } from "../kernel/op.ts";
import type { CheckResult, Checker } from "./checker.ts";
import { pairOps } from "./pairs.ts";

/** Latency summary in milliseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/** A fault window; `end` null when the history ended before it was healed. */
export interface NemesisWindow {
  readonly fault: string;
  readonly start: number;
  readonly end: number | null;
  readonly value?: unknown;
}

/** Options of the stats checker. */
export interface StatsOptions {
  /** Throughput bucket width in ms (default: duration / 100, at least 1 ms, rounded to a 1-2-5 step). */
  readonly bucketMs?: number;
  /** The history has no real times (Porcupine's logs): count ops only. */
  readonly timeless?: boolean;
}

const ms = (ns: number): number => Math.round(ns / 1e3) / 1e3;

/** Nearest-rank quantile of sorted values. */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function summarize(latenciesNs: number[]): LatencySummary {
  const s = latenciesNs.sort((a, b) => a - b);
  const sum = s.reduce((a, b) => a + b, 0);
  return {
    count: s.length,
    mean: s.length ? ms(sum / s.length) : 0,
    p50: ms(quantile(s, 0.5)),
    p90: ms(quantile(s, 0.9)),
    p95: ms(quantile(s, 0.95)),
    p99: ms(quantile(s, 0.99)),
    max: ms(s[s.length - 1] ?? 0),
  };
}

function niceStep(x: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(x, 1)));
  for (const m of [1, 2, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

/** Which op ends a window that another op opened. */
function closes(open: string): string | undefined {
  if (open.startsWith("start-")) return `stop-${open.slice(6)}`;
  return { pause: "resume", kill: "start", "pause-client": "resume-client" }[open];
}

/** Nemesis windows from the nemesis process's ops (completion times; invoke time when never completed). */
export function nemesisWindows(history: readonly Op[]): NemesisWindow[] {
  const windows: { fault: string; start: number; end: number | null; value?: unknown; closer: string }[] = [];
  let pending: Op | undefined;
  const events: { f: string; time: number; value: unknown }[] = [];
  for (const op of history) {
    if (!isNemesisOp(op)) continue;
    if (op.type === "invoke") {
      if (pending) events.push({ f: pending.f, time: pending.time, value: pending.value });
      pending = op;
    } else {
      events.push({
        f: op.f,
        time: op.time,
        value: pending?.f === op.f ? (op.value ?? pending.value) : op.value,
      });
      pending = undefined;
    }
  }
  if (pending) events.push({ f: pending.f, time: pending.time, value: pending.value });
  for (const e of events) {
    const openWin = windows.find((w) => w.end === null && w.closer === e.f);
    if (openWin) {
      openWin.end = ms(e.time);
      continue;
    }
    const closer = closes(e.f);
    if (closer) {
      const fault = e.f.startsWith("start-") ? e.f.slice(6) : e.f;
      windows.push({
        fault,
        start: ms(e.time),
        end: null,
        ...(e.value != null ? { value: e.value } : {}),
        closer,
      });
    }
  }
  return windows.map(({ closer: _closer, ...w }) => w);
}

/** Compute the statistics. */
export function checkStats(history: readonly Op[], opts: StatsOptions = {}): CheckResult {
  const { pairs } = pairOps(history);
  const lat = new Map<string, Map<string, number[]>>();
  const counts = { invoke: 0, ok: 0, fail: 0, info: 0, unfinished: 0 };
  let t0 = Infinity;
  let t1 = -Infinity;
  for (const op of history) {
    if (Number.isFinite(op.time)) {
      t0 = Math.min(t0, op.time);
      t1 = Math.max(t1, op.time);
    }
  }
  for (const { invoke, completion } of pairs) {
    counts.invoke++;
    if (!completion) {
      counts.unfinished++;
      continue;
    }
    counts[completion.type === "invoke" ? "info" : completion.type]++;
    let byType = lat.get(invoke.f);
    if (!byType) lat.set(invoke.f, (byType = new Map()));
    let xs = byType.get(completion.type);
    if (!xs) byType.set(completion.type, (xs = []));
    xs.push(Math.max(0, completion.time - invoke.time));
  }
  if (opts.timeless) return { valid: true, ops: counts, note: "no real times in this history: counts only" };
  const latency: Record<string, Record<string, LatencySummary>> = {};
  for (const [f, byType] of [...lat].sort(([a], [b]) => a.localeCompare(b))) {
    latency[f] = Object.fromEntries([...byType].map(([t, xs]) => [t, summarize(xs)]));
  }
  const durationMs = Number.isFinite(t0) ? ms(t1 - t0) : 0;
  const bucketMs = opts.bucketMs ?? niceStep(Math.max(1, durationMs / 100));
  const buckets: { t: number; ok: number; fail: number; info: number }[] = [];
  if (Number.isFinite(t0)) {
    const n = Math.min(100_000, Math.floor(durationMs / bucketMs) + 1);
    for (let i = 0; i < n; i++)
      buckets.push({ t: Math.round((ms(t0) + i * bucketMs) * 1e3) / 1e3, ok: 0, fail: 0, info: 0 });
    for (const { completion } of pairs) {
      if (!completion || completion.type === "invoke") continue;
      const b = buckets[Math.min(n - 1, Math.floor(ms(completion.time - t0) / bucketMs))];
      if (b) b[completion.type]++;
    }
  }
  return {
    valid: true,
    durationMs,
    ops: counts,
    latency,
    throughput: { bucketMs, buckets },
    nemesis: nemesisWindows(history),
  };
}

/** The stats Checker (always valid). */
export function stats(opts: StatsOptions = {}): Checker {
  return { name: "stats", check: (history) => checkStats(history, opts) };
}
