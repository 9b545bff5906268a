/**
 * What the report draws, derived once from the history: client operations as spans (invoke → completion),
 * timeline lanes, nemesis windows with readable labels, failed nemesis actions and unavailability windows.
 * Times are seconds since test start.
 */
import { type Op, isNemesisOp } from "../kernel/op.ts";
import { pairOps } from "../checkers/pairs.ts";
import { nemesisWindows } from "../checkers/stats.ts";
import { compactJson } from "./html.ts";

export type Outcome = "ok" | "fail" | "info" | "open";

export interface Span {
  /** History index of the invoke. */
  readonly index: number;
  readonly process: number;
  readonly lane: number;
  readonly f: string;
  readonly start: number;
  /** Completion time; null when the history ended first. */
  readonly end: number | null;
  readonly type: Outcome;
  readonly invokeValue: unknown;
  readonly value: unknown;
  readonly error?: string;
  readonly node?: string;
  readonly session?: string;
  /** The zxid its last reply told of, as recorded (kernel/op.ts). */
  readonly zxid?: string;
}

export interface Lane {
  readonly label: string;
  readonly processes: number[];
}

export interface FaultWindow {
  readonly fault: string;
  readonly start: number;
  /** null: not healed before the history ended. */
  readonly end: number | null;
  readonly value: unknown;
  readonly label: string;
}

export interface NemesisFailure {
  readonly time: number;
  readonly error: string;
}

/** A client process that crashed, from the `crash` record on an op's completion (kernel/op.ts ClientCrash). */
export interface CrashMark {
  /** Seconds since test start. */
  readonly time: number;
  readonly slot: number;
  readonly process: number;
  /** The op it hit: `info` if it was in flight, `fail` if the crash came between ops. */
  readonly f: string;
  readonly type: string;
  /** "exit code 1", "SIGSEGV", or why a replacement did not start. */
  readonly exit: string;
  readonly stderr: readonly string[];
  readonly inARow: number;
  readonly retired: boolean;
}

export interface Interval {
  readonly start: number;
  readonly end: number;
}

export interface RunModel {
  readonly spans: Span[];
  readonly lanes: Lane[];
  readonly windows: FaultWindow[];
  readonly nemesisFailures: NemesisFailure[];
  readonly crashes: CrashMark[];
  /** Stretches with operations in flight and none completing ok. */
  readonly unavailable: Interval[];
  /** Extent of the history, seconds. */
  readonly t0: number;
  readonly t1: number;
  readonly byIndex: ReadonlyMap<number, Op>;
}

export const seconds = (ns: number): number => ns / 1e9;

const names = (v: unknown): string =>
  Array.isArray(v) ? v.map((x) => String(x)).join(" ") : v === undefined ? "" : String(v);

/** A short description of a fault's targets, from the nemesis value shapes in harness/nemesis. */
export function faultLabel(fault: string, value: unknown): string {
  const v = (value !== null && typeof value === "object" ? value : {}) as Record<string, unknown>;
  switch (fault) {
    case "partition": {
      const groups = Array.isArray(v.groups) ? v.groups.map(names).join(" | ") : "";
      const extra = v.bridge ? ` bridge ${String(v.bridge)}` : v.leader ? ` leader ${String(v.leader)}` : "";
      const shape = typeof v.shape === "string" ? v.shape : "";
      const mode = typeof v.mode === "string" ? ` (${v.mode})` : "";
      return `partition ${shape}${groups ? ` ${groups}` : ""}${extra}${mode}`.trim();
    }
    case "latency": {
      const ms = typeof v.latencyMs === "number" ? ` +${v.latencyMs}±${String(v.jitterMs ?? 0)} ms` : "";
      return `latency${ms}${v.nodes ? ` on ${names(v.nodes)}` : ""}`;
    }
    case "lagging-follower": {
      const lag = typeof v.lagMs === "number" ? ` +${v.lagMs}±${String(v.jitterMs ?? 0)} ms` : "";
      const readers = Array.isArray(v.readers)
        ? `; readers ${v.readers.map((s) => `c${String(s)}`).join(" ")}`
        : "";
      return `lagging follower ${String(v.follower ?? "")}${lag}${readers}`.trim();
    }
    case "lost-replies":
      return `lost replies${v.nodes ? ` from ${names(v.nodes)}` : ""}`;
    case "pause":
      return `pause ${String(v.node ?? "")}${v.target ? ` (${String(v.target)})` : ""}`.trim();
    case "kill":
      return `kill ${String(v.node ?? "")}${v.target ? ` (${String(v.target)})` : ""}`.trim();
    case "pause-client": {
      const how = typeof v.mode === "string" ? ` ${v.mode}` : "";
      const dur = typeof v.durationMs === "number" ? ` ${(v.durationMs / 1000).toFixed(1)} s` : "";
      return `pause client c${String(v.slot ?? "?")}${how ? ` (${how.trim()}${dur})` : dur ? ` (${dur.trim()})` : ""}`;
    }
    default:
      return value === undefined || value === null ? fault : `${fault} ${compactJson(value, 60)}`;
  }
}

/** Nemesis windows as of checkers/stats, in seconds, labelled. */
export function faultWindows(history: readonly Op[]): FaultWindow[] {
  return nemesisWindows(history).map((w) => ({
    fault: w.fault,
    start: w.start / 1000,
    end: w.end === null ? null : w.end / 1000,
    value: w.value ?? null,
    label: faultLabel(w.fault, w.value),
  }));
}

/** "pause client c1 (signal 8.0 s) from 13.359 s to 19.358 s". */
const windowText = (w: FaultWindow): string =>
  `${w.label} from ${fmtS(w.start)} ${w.end === null ? "on (never healed)" : `to ${fmtS(w.end)}`}`;

/** Windows active at `t` (seconds). */
export function faultsAt(windows: readonly FaultWindow[], t: number): FaultWindow[] {
  return windows.filter((w) => w.start <= t && (w.end === null || t <= w.end));
}

/** "during pause client c1 (10.2–18.2 s)", "just after …" (within `after` s of its end), or "". */
export function faultContext(windows: readonly FaultWindow[], t: number, after = 5): string {
  const active = faultsAt(windows, t);
  if (active.length) return `during ${active.map(windowText).join(" and ")}`;
  const recent = windows
    .filter((w) => w.end !== null && w.end < t && t - w.end <= after)
    .sort((a, b) => b.end! - a.end!)[0];
  if (recent) return `${fmtS(t - recent.end!)} after the end of ${windowText(recent)}`;
  return "with no fault active";
}

/** The faults overlapping [a, b] ("across pause client c0 (…)"), else the context of `a`. */
export function faultContextSpan(windows: readonly FaultWindow[], a: number, b: number): string {
  const hit = windows.filter((w) => w.start <= b && (w.end === null || w.end >= a));
  if (hit.length === 0) return faultContext(windows, a);
  return `across ${hit.map(windowText).join(" and ")}`;
}

/** Seconds for display: "12.345 s". */
export function fmtS(t: number): string {
  const a = Math.abs(t);
  return `${t.toFixed(a >= 10_000 ? 1 : 3)}\u00a0s`; // ms precision: sections and overlaps are short; never wrapped apart
}

/** Milliseconds for display. */
export function fmtMs(ms: number): string {
  return `${ms >= 100 ? Math.round(ms) : ms >= 1 ? ms.toFixed(1) : ms.toFixed(2)}\u00a0ms`;
}

function laneOf(clients: number | undefined): (p: number) => number {
  return clients && clients > 0 ? (p) => ((p % clients) + clients) % clients : (p) => p;
}

/** Gaps in ok completions longer than a threshold while some operation was in flight. */
export function unavailability(spans: readonly Span[]): Interval[] {
  const oks = spans
    .filter((s) => s.type === "ok" && s.end !== null)
    .map((s) => s.end!)
    .sort((a, b) => a - b);
  if (spans.length === 0) return [];
  const gaps: number[] = [];
  for (let i = 1; i < oks.length; i++) gaps.push(oks[i]! - oks[i - 1]!);
  const median = gaps.length ? [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)]! : 0;
  const threshold = Math.max(1, 10 * median);
  const first = spans[0]!.start;
  let last = first;
  for (const s of spans) last = Math.max(last, s.end ?? s.start);
  const bounds = [first, ...oks, last];
  const out: Interval[] = [];
  // spans sorted by start: for each gap, is anything in flight inside it?
  const maxEndBefore: number[] = [];
  let m = -Infinity;
  for (const s of spans) maxEndBefore.push((m = Math.max(m, s.end ?? Infinity)));
  const inFlight = (a: number, b: number): boolean => {
    // the last span starting before b: any span starting before b whose end passes a
    let lo = 0;
    let hi = spans.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (spans[mid]!.start < b) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && maxEndBefore[lo - 1]! > a;
  };
  for (let i = 1; i < bounds.length; i++) {
    const a = bounds[i - 1]!;
    const b = bounds[i]!;
    if (b - a > threshold && inFlight(a, b)) out.push({ start: a, end: b });
  }
  return out;
}

/** The crashes a history records; what is not a crash record is skipped. */
export function clientCrashes(history: readonly Op[]): CrashMark[] {
  const out: CrashMark[] = [];
  for (const op of history) {
    const c = op.crash;
    if (c === null || typeof c !== "object" || typeof op.process !== "number") continue;
    const r = c as Record<string, unknown>;
    const time = typeof r.time === "number" ? r.time : op.time;
    const exit =
      typeof r.error === "string"
        ? r.error
        : typeof r.signal === "string"
          ? r.signal
          : `exit code ${String(r.code ?? "?")}`;
    out.push({
      time: seconds(time),
      slot: typeof r.slot === "number" ? r.slot : op.process,
      process: op.process,
      f: op.f,
      type: op.type,
      exit,
      stderr: Array.isArray(r.stderr) ? r.stderr.map(String) : [],
      inARow: typeof r.inARow === "number" ? r.inARow : 1,
      retired: r.retired === true,
    });
  }
  return out;
}

/** Build the model. `clients` (from test.json) folds retired process numbers into their client's lane. */
export function buildRunModel(history: readonly Op[], clients?: number): RunModel {
  const lane = laneOf(clients);
  const laneProcs = new Map<number, Set<number>>();
  const spans: Span[] = [];
  for (const { invoke, completion } of pairOps(history).pairs) {
    const p = invoke.process as number;
    const l = lane(p);
    let set = laneProcs.get(l);
    if (!set) laneProcs.set(l, (set = new Set()));
    set.add(p);
    const c = completion;
    const error = c?.error ?? invoke.error;
    const node = c?.node ?? invoke.node;
    const session = c?.session ?? invoke.session;
    const zxid = c?.zxid;
    spans.push({
      index: invoke.index,
      process: p,
      lane: l,
      f: invoke.f,
      start: seconds(invoke.time),
      end: c ? seconds(c.time) : null,
      type: c ? (c.type === "invoke" ? "open" : c.type) : "open",
      invokeValue: invoke.value,
      value: c ? c.value : null,
      ...(error !== undefined ? { error: String(error) } : {}),
      ...(node !== undefined ? { node: String(node) } : {}),
      ...(session !== undefined ? { session: String(session) } : {}),
      ...(zxid !== undefined ? { zxid: String(zxid) } : {}),
    });
  }
  spans.sort((a, b) => a.start - b.start || a.index - b.index);
  const laneIds = [...laneProcs.keys()].sort((a, b) => a - b);
  const laneIndex = new Map(laneIds.map((id, i) => [id, i]));
  const lanes: Lane[] = laneIds.map((id) => ({
    label: clients ? `c${id}` : `p${id}`,
    processes: [...laneProcs.get(id)!].sort((a, b) => a - b),
  }));
  const placed = spans.map((s) => ({ ...s, lane: laneIndex.get(s.lane)! }));
  let t0 = Infinity;
  let t1 = -Infinity;
  const byIndex = new Map<number, Op>();
  const nemesisFailures: NemesisFailure[] = [];
  for (const op of history) {
    const t = seconds(op.time);
    if (t < t0) t0 = t;
    if (t > t1) t1 = t;
    byIndex.set(op.index, op);
    if (isNemesisOp(op) && op.type !== "invoke" && op.error !== undefined)
      nemesisFailures.push({ time: t, error: String(op.error) });
  }
  if (!Number.isFinite(t0)) [t0, t1] = [0, 1];
  if (t1 <= t0) t1 = t0 + 1;
  return {
    spans: placed,
    lanes,
    windows: faultWindows(history),
    nemesisFailures,
    crashes: clientCrashes(history),
    unavailable: unavailability(placed),
    t0,
    t1,
    byIndex,
  };
}
