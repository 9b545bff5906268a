/**
 * after-heal: once the last fault is healed, the system works again and holds nothing it should have let go.
 * Judged from what the final phase recorded:
 * - progress: an op of the `progress` fs begun after the last heal completes ok within `boundMs` of it (a
 *   client takes the lock, a leader is elected and writes); with `drained`, every acknowledged enqueue is
 *   out (an ok dequeue or drain) by then too;
 * - leaks: the `ephemerals` probe lists the recipe's znodes with their ephemeral owners at least a session
 *   timeout after the heal; an ephemeral owned by a session no client holds any more (ZooKeeper removes an
 *   expired session's ephemerals) means a leaked session: a client still holding a superseded session. When
 *   no session was let go at all (`sessionsLetGo`), a listing at once tells as much as a later one.
 * Stuck or leaked is invalid, with what was tried, when, what blocked it and the bound.
 */
import type { Op } from "../kernel/op.ts";
import { PHASE_F, isClientOp, isNemesisOp } from "../kernel/op.ts";
import type { CheckResult, Checker } from "./checker.ts";
import { historyCompleteness } from "./history-completeness.ts";
import { pairOps, type OpPair } from "./pairs.ts";
import { nemesisWindows } from "./stats.ts";
import { canonical } from "./values.ts";

/** The probe op's f: a listing of the recipe's znodes with their owners (workloads/after-heal). */
export const PROBE_F = "ephemerals";
/** Session timeout assumed when no probe recorded one (the harness default). */
const DEFAULT_SESSION_TIMEOUT_MS = 4000;
/** Past the session timeout: a new leader's election and the server's expiry tick. */
const BOUND_SLACK_MS = 25_000;
const MAX = 50;

/** The default bound after the last heal: a session timeout (a dead holder's session expires) plus slack. */
export const afterHealBoundMs = (sessionTimeoutMs: number): number => sessionTimeoutMs + BOUND_SLACK_MS;

export interface AfterHealOptions {
  /** fs whose ok shows progress (default: every client op but the probe). */
  readonly progress?: readonly string[];
  /** Every acknowledged `enqueue` must be dequeued (`dequeue`, `drain`) within the bound. */
  readonly drained?: boolean;
  /** Znodes the probe lists (their own and their children's owners); set: a missing probe is unknown. */
  readonly ephemerals?: readonly string[];
  /**
   * Milliseconds after the last heal (default: the session timeout + 25 s). A bound the run was given
   * (recorded at the final phase's mark) comes first.
   */
  readonly boundMs?: number;
}

/** The after-heal Checker; it tells the runner its own bound, so the final phase tries that long. */
export interface AfterHealChecker extends Checker {
  readonly boundMs?: number;
}

/** One listed znode, as the probe records it. */
export interface ListedNode {
  readonly path: string;
  /** The owning session ("0x…"), null for a persistent node. */
  readonly owner: string | null;
  readonly czxid?: string;
}

/** The probe's ok value. */
export interface ProbeValue {
  readonly roots: readonly string[];
  readonly sessionTimeoutMs: number;
  /** How long the probe waited before it listed (from its invoke). */
  readonly waitedMs: number;
  readonly nodes: readonly ListedNode[];
  /** More nodes than the probe lists. */
  readonly truncated?: boolean;
}

interface Attempt {
  readonly process: number;
  readonly f: string;
  readonly start: number;
  readonly end: number | null;
  readonly type: string;
  readonly error?: string;
  readonly session?: string;
}

const attemptOf = (p: OpPair): Attempt => ({
  process: p.invoke.process as number,
  f: p.invoke.f,
  start: p.invoke.time,
  end: p.completion?.time ?? null,
  type: p.completion?.type ?? "open",
  ...(p.completion?.error ? { error: p.completion.error } : {}),
  ...(p.completion?.session ? { session: p.completion.session } : {}),
});

const markOf = (history: readonly Op[], mark: string): Op | undefined =>
  history.find((o) => isNemesisOp(o) && o.f === PHASE_F && o.value === mark);
const markTime = (history: readonly Op[], mark: string): number | null => markOf(history, mark)?.time ?? null;

/** The bound a run was given (`--after-heal-bound`): the final phase's mark records it. */
const runBoundMs = (history: readonly Op[]): number | undefined => {
  const b = markOf(history, "final")?.["boundMs"];
  return typeof b === "number" && Number.isFinite(b) && b > 0 ? b : undefined;
};

/**
 * When the last fault was healed (ns): the end of the last nemesis window; a window never closed was healed
 * by the runner before the final phase (its mark). With no fault at all, the final phase's start.
 */
export function lastHeal(history: readonly Op[]): { time: number; by: string } | null {
  const final = markTime(history, "final");
  let time = -Infinity;
  let by = "";
  for (const w of nemesisWindows(history)) {
    const end = w.end === null ? final : w.end * 1e6;
    if (end !== null && end > time) {
      time = end;
      by = w.end === null ? `${w.fault} (healed at the final phase)` : w.fault;
    }
  }
  if (time > -Infinity) return { time, by };
  return final === null ? null : { time: final, by: "no fault: the final phase's start" };
}

/**
 * Why a leak can only be told a session timeout after the heal, or null when it can be told at once: a leak
 * is a session let go and kept alive, and none was let go when no fault ran, no client crashed and every
 * session the clients' ops carried is one they still hold (`held`).
 */
export function sessionsLetGo(history: readonly Op[], held: ReadonlySet<string>): string | null {
  for (const op of history) {
    if (isNemesisOp(op)) {
      if (op.f !== PHASE_F) return "a fault ran";
    } else if (isClientOp(op) && op.type !== "invoke") {
      if (op["crash"] !== undefined) return `client process ${String(op.process)} crashed`;
      if (typeof op.session === "string" && op.session !== "" && !held.has(op.session))
        return `session ${op.session} was let go`;
    }
  }
  return null;
}

const asProbe = (v: unknown): ProbeValue | null => {
  const p = v as Partial<ProbeValue> | null;
  return p !== null && typeof p === "object" && Array.isArray(p.nodes) && typeof p.waitedMs === "number"
    ? (p as ProbeValue)
    : null;
};

/** Check that the system recovered after the last heal. */
export function checkAfterHeal(history: readonly Op[], opts: AfterHealOptions = {}): CheckResult {
  // An older or imported history (no phase marks) is taken as whole elsewhere; here it has no final phase.
  if (!history.some((o) => isNemesisOp(o) && o.f === PHASE_F))
    return {
      valid: true,
      notJudged: "no phase marks (an older or imported history): no final phase to judge",
    };
  const heal = lastHeal(history);
  if (heal === null) return { valid: "unknown", reason: "no heal and no final phase in the history" };
  const { pairs } = pairOps(history);
  const probes = pairs.filter((p) => p.invoke.f === PROBE_F && p.completion?.type === "ok");
  const sessionTimeoutMs =
    probes.map((p) => asProbe(p.completion!.value)?.sessionTimeoutMs).find((n) => typeof n === "number") ??
    DEFAULT_SESSION_TIMEOUT_MS;
  const recorded = runBoundMs(history);
  const boundMs = recorded ?? opts.boundMs ?? afterHealBoundMs(sessionTimeoutMs);
  const deadline = heal.time + boundMs * 1e6;
  const cut = historyCompleteness(history);
  const stuck: string[] = [];
  const undecided: string[] = [];
  /** When the system was found stuck: the bound passed without progress or a drain (leaks aside). */
  let stuckAt: number | undefined;
  const stalled = (why: string): void => {
    stuckAt = deadline;
    stuck.push(why);
  };

  // Progress: an attempt begun after the heal that succeeded by the deadline.
  const isProgress = (f: string): boolean =>
    f !== PROBE_F && (opts.progress === undefined || opts.progress.includes(f));
  const tried = pairs.filter((p) => isProgress(p.invoke.f) && p.invoke.time >= heal.time);
  const firstOk = tried
    .filter((p) => p.completion?.type === "ok")
    .sort((a, b) => a.completion!.time - b.completion!.time)[0];
  const progressed = firstOk !== undefined && firstOk.completion!.time <= deadline;
  const what = opts.progress?.join("/") ?? "any op";
  if (!progressed) {
    if (firstOk) stalled(`first ${what} ok ${late(firstOk.completion!.time - heal.time, boundMs)}`);
    else if (!cut.whole) undecided.push(`history cut (${cut.reason}) before any ${what} succeeded`);
    else if (tried.length === 0) undecided.push(`no ${what} was tried after the last heal`);
    else {
      const lastErr = [...tried].reverse().find((p) => p.completion?.error)?.completion?.error;
      stalled(
        `no ${what} succeeded after the last heal (${tried.length} tried${lastErr ? `; the last: ${lastErr}` : ""})`,
      );
    }
  }

  const drained = opts.drained ? checkDrained(pairs, deadline) : undefined;
  if (drained && drained.lateCount + drained.neverCount > 0) {
    if (!cut.whole && drained.lateCount === 0) undecided.push(`history cut (${cut.reason}) before the drain`);
    else
      stalled(
        `${drained.lateCount + drained.neverCount} acknowledged items not dequeued within ${boundMs} ms of the heal`,
      );
  }

  // Leaks: ephemerals owned by a session no client holds, listed a session timeout after the heal (or at
  // any time when no session was let go).
  const finalStart = markTime(history, "final") ?? heal.time;
  const live = new Set<string>();
  for (const op of history)
    if (isClientOp(op) && op.type !== "invoke" && op.time >= finalStart && typeof op.session === "string")
      live.add(op.session);
  const listings = probes.map((p) => {
    const v = asProbe(p.completion!.value)!;
    const at = p.invoke.time + v.waitedMs * 1e6;
    return { process: p.invoke.process as number, at, end: p.completion!.time, value: v };
  });
  const letGo = sessionsLetGo(history, live);
  const judged = listings.filter((l) => letGo === null || l.at - heal.time >= sessionTimeoutMs * 1e6);
  const leaked = new Map<string, ListedNode & { listedAt: number }>();
  for (const l of judged)
    for (const n of l.value.nodes)
      if (n.owner !== null && !live.has(n.owner) && !leaked.has(`${n.path} ${n.owner}`))
        leaked.set(`${n.path} ${n.owner}`, { ...n, listedAt: l.at });
  if (leaked.size > 0)
    stuck.push(`${leaked.size} ephemeral znodes owned by sessions no client holds (first ${first(leaked)})`);
  else if (opts.ephemerals !== undefined && judged.length === 0)
    undecided.push(
      listings.length === 0
        ? `no listing of ${opts.ephemerals.join(", ")} after the heal`
        : "every listing came before a session timeout had passed since the heal",
    );
  const last = listings.at(-1);

  return {
    valid: stuck.length > 0 ? false : undecided.length > 0 ? "unknown" : true,
    ...(stuck.length > 0 ? { stuck } : {}),
    ...(stuckAt !== undefined ? { stuckAt } : {}),
    ...(stuck.length === 0 && undecided.length > 0 ? { reason: undecided.join("; ") } : {}),
    lastHeal: heal.time,
    healedBy: heal.by,
    boundMs,
    boundSource:
      recorded !== undefined
        ? "the run's --after-heal-bound"
        : opts.boundMs !== undefined
          ? "option boundMs"
          : `session timeout ${sessionTimeoutMs} ms + 25 s`,
    deadline,
    progress: {
      fs: opts.progress ?? null,
      tried: tried.length,
      attempts: tried.slice(0, MAX).map(attemptOf),
      firstOk: firstOk ? attemptOf(firstOk) : null,
      withinBound: progressed,
    },
    ...(drained ? { drained } : {}),
    ephemerals: {
      roots: opts.ephemerals ?? last?.value.roots ?? [],
      listings: listings.length,
      judgedListings: judged.length,
      // Why a listing had to come a session timeout after the heal; null: none was let go, any listing tells.
      letGo,
      liveSessions: [...live].slice(0, MAX),
      leakedCount: leaked.size,
      leaked: [...leaked.values()].slice(0, MAX),
      ...(last
        ? {
            last: {
              process: last.process,
              at: last.at,
              end: last.end,
              nodes: last.value.nodes.slice(0, MAX),
              nodeCount: last.value.nodes.length,
              ...(last.value.truncated ? { truncated: true } : {}),
            },
          }
        : {}),
    },
    ...(cut.whole ? {} : { cut: cut.reason }),
  };
}

const late = (ns: number, boundMs: number): string =>
  `only ${(ns / 1e9).toFixed(1)} s after the last heal, past the bound of ${(boundMs / 1000).toFixed(1)} s`;

const first = (m: Map<string, ListedNode>): string => {
  const n = m.values().next().value!;
  return `${n.path} of session ${n.owner}`;
};

/** Acknowledged enqueues and when each was first dequeued: late (past the deadline) or never. */
function checkDrained(
  pairs: readonly OpPair[],
  deadline: number,
): { acknowledged: number; lateCount: number; neverCount: number; late: unknown[]; never: unknown[] } {
  const acked = new Map<string, unknown>();
  const out = new Map<string, number>();
  for (const { invoke, completion } of pairs) {
    if (completion?.type !== "ok") continue;
    if (invoke.f === "enqueue") acked.set(canonical(invoke.value), invoke.value);
    else if (invoke.f === "dequeue" || invoke.f === "drain") {
      const vs = Array.isArray(completion.value) ? completion.value : [completion.value];
      for (const v of vs) {
        if (v === null || v === undefined) continue;
        const k = canonical(v);
        out.set(k, Math.min(out.get(k) ?? Infinity, completion.time));
      }
    }
  }
  const lateOnes: unknown[] = [];
  const never: unknown[] = [];
  for (const [k, v] of acked) {
    const t = out.get(k);
    if (t === undefined) never.push(v);
    else if (t > deadline) lateOnes.push(v);
  }
  return {
    acknowledged: acked.size,
    lateCount: lateOnes.length,
    neverCount: never.length,
    late: lateOnes.slice(0, MAX),
    never: never.slice(0, MAX),
  };
}

/** The after-heal Checker. */
export const afterHeal = (opts: AfterHealOptions = {}): AfterHealChecker => ({
  name: "after-heal",
  check: (history) => checkAfterHeal(history, opts),
  ...(opts.boundMs !== undefined ? { boundMs: opts.boundMs } : {}),
});
