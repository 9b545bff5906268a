/**
 * The cache workload's history format (workloads/cache writes it, the cache checkers read it), and the
 * one reading of it they share. Every cache op's completion value carries its client `slot` and `journal`:
 * what the client learned since its previous op (replies to its reads, watch events, session states), each
 * with its own time, so what happens between ops is in the history too. Writers record the zxids their
 * writes made; `read` ops report the local copy; the `final` op reports the copy beside a sync + read.
 *
 * Versions of one znode are ordered by position (czxid, mzxid): a delete of incarnation c sits after
 * every version of c and before any later incarnation (czxid > c).
 */
import type { Op } from "../../kernel/op.ts";
import { ordinal } from "../ordinal.ts";

/**
 * One thing a cache client learned, at time `t` (ns since the test started), in session `session`. Reads
 * also carry `t0`, when they were sent: a watch event recorded after t0 may be for the watch that read set
 * (a library may hand the event over before the reply it followed on the wire).
 */
export type JournalEntry =
  /** A getData reply: the node's incarnation and last change; `watch` says whether it set a data watch. */
  | {
      t: number;
      session: string;
      e: "data";
      key: string;
      czxid: number | string;
      mzxid: number | string;
      watch: boolean;
      t0?: number;
    }
  /** A getData that found no node. */
  | { t: number; session: string; e: "gone"; key: string; watch: boolean; t0?: number }
  /** A getChildren2 reply on the cache's root: the child set at the root's pzxid. */
  | {
      t: number;
      session: string;
      e: "children";
      pzxid: number | string;
      children: string[];
      watch: boolean;
      t0?: number;
    }
  /** A watch set again without reading (naive after a new session): its stat is not used by the copy. */
  | {
      t: number;
      session: string;
      e: "arm";
      key: string | null;
      czxid?: number | string;
      mzxid?: number | string;
      t0?: number;
    }
  /** A watch event on a child (`key`) or on the root (`key` null). */
  | { t: number; session: string; e: "event"; key: string | null; type: string }
  /** A connection or session state, or (state "new") a new session the cache attached to. */
  | { t: number; session: string; e: "state"; state: string };

/** A znode as the copy holds it: [czxid, mzxid]. */
export type CopyEntry = readonly [number | string, number | string];
/** The copy (or the truth): child name → [czxid, mzxid]. */
export type CopyMap = Readonly<Record<string, CopyEntry>>;

/** A version position: (czxid, mzxid); mzxid Infinity-like (null) for a delete of that incarnation. */
export interface Pos {
  readonly c: bigint;
  /** null: past every version of incarnation c (it was deleted). */
  readonly m: bigint | null;
}

/** -1, 0, 1 */
export function comparePos(a: Pos, b: Pos): number {
  if (a.c !== b.c) return a.c < b.c ? -1 : 1;
  if (a.m === b.m) return 0;
  if (a.m === null) return 1;
  if (b.m === null) return -1;
  return a.m < b.m ? -1 : 1;
}

export const entryPos = (e: CopyEntry): Pos => ({ c: ordinal(e[0]) ?? 0n, m: ordinal(e[1]) ?? 0n });

/** An acknowledged write with a known position. */
export interface Update {
  readonly key: string;
  readonly f: "put" | "delete";
  readonly pos: Pos;
  /** The writer's ok completion. */
  readonly index: number;
  readonly time: number;
  readonly process: number;
  readonly slot: number;
}

/** A copy the client reported: a `read` or the `final` op. */
export interface Snapshot {
  readonly slot: number;
  readonly f: string;
  readonly index: number;
  /** Invoke and completion times. */
  readonly invoked: number;
  readonly time: number;
  readonly copy: CopyMap;
  /** How long a connected copy may lag an acknowledged write (ms). */
  readonly boundMs: number;
  readonly truth?: CopyMap;
}

/** A delete invoked (whatever its outcome) of an incarnation: explains a key missing from a copy. */
export interface DeleteAttempt {
  readonly key: string;
  readonly c: bigint | null;
  readonly invoked: number;
}

export interface CacheHistory {
  readonly updates: readonly Update[];
  readonly snapshots: readonly Snapshot[];
  readonly deletes: readonly DeleteAttempt[];
  /** Per slot, its journal in time order. */
  readonly journals: ReadonlyMap<number, readonly JournalEntry[]>;
  /** Ops that carried a cache value (0: not a cache history). */
  readonly cacheOps: number;
}

const isRec = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/** Read the cache workload's parts out of a history (ops of other shapes are ignored). */
export function readCacheHistory(history: readonly Op[]): CacheHistory {
  const invokes = new Map<number | string, Op>();
  const updates: Update[] = [];
  const snapshots: Snapshot[] = [];
  const deletes: DeleteAttempt[] = [];
  const journals = new Map<number, JournalEntry[]>();
  let cacheOps = 0;
  for (const op of history) {
    if (typeof op.process !== "number") continue;
    if (op.type === "invoke") {
      invokes.set(op.process, op);
      continue;
    }
    const inv = invokes.get(op.process);
    invokes.delete(op.process);
    const v = op.value;
    if (!isRec(v) || typeof v.slot !== "number") continue;
    cacheOps++;
    const slot = v.slot;
    if (Array.isArray(v.journal)) {
      let j = journals.get(slot);
      if (!j) journals.set(slot, (j = []));
      for (const e of v.journal) if (isRec(e) && typeof e.t === "number") j.push(e as JournalEntry);
    }
    const invoked = inv?.time ?? op.time;
    if (op.f === "delete" && typeof v.key === "string")
      deletes.push({ key: v.key, c: ordinal(v.czxid) ?? null, invoked });
    if (op.type !== "ok") continue;
    if (op.f === "put" && typeof v.key === "string") {
      const c = ordinal(v.czxid);
      const m = ordinal(v.mzxid);
      if (c !== undefined && m !== undefined)
        updates.push({
          key: v.key,
          f: "put",
          pos: { c, m },
          index: op.index,
          time: op.time,
          process: op.process,
          slot,
        });
    } else if (op.f === "delete" && typeof v.key === "string") {
      const c = ordinal(v.czxid);
      if (c !== undefined)
        updates.push({
          key: v.key,
          f: "delete",
          pos: { c, m: null },
          index: op.index,
          time: op.time,
          process: op.process,
          slot,
        });
    } else if ((op.f === "read" || op.f === "final") && isRec(v.copy)) {
      snapshots.push({
        slot,
        f: op.f,
        index: op.index,
        invoked,
        time: op.time,
        copy: v.copy as CopyMap,
        boundMs: typeof v.boundMs === "number" ? v.boundMs : 0,
        ...(isRec(v.truth) ? { truth: v.truth as CopyMap } : {}),
      });
    }
  }
  for (const j of journals.values()) j.sort((a, b) => a.t - b.t);
  return { updates, snapshots, deletes, journals, cacheOps };
}

/** Whether a copy holds `key` at or past `pos`, or its absence is explained by a delete invoked before `by`. */
export function reflects(
  copy: CopyMap,
  key: string,
  pos: Pos,
  deletes: readonly DeleteAttempt[],
  by: number,
): boolean {
  const e = copy[key];
  if (e) return comparePos(entryPos(e), pos) >= 0;
  if (pos.m === null) return true;
  return deletes.some((d) => d.key === key && d.invoked < by && d.c !== null && d.c >= pos.c);
}

/** Whether a journal entry shows its client learned `pos` of `key` (or something later). */
export function learns(e: JournalEntry, key: string, pos: Pos): boolean {
  if (e.e === "data" && e.key === key) return comparePos(entryPos([e.czxid, e.mzxid]), pos) >= 0;
  if (e.e === "gone" && e.key === key) return pos.m === null;
  if (e.e === "children") {
    const p = ordinal(e.pzxid) ?? 0n;
    // The incarnation existed at pos.c; missing from the set read at pzxid ≥ pos.c, it was deleted since.
    return !e.children.includes(key) && p >= pos.c;
  }
  return false;
}

/** Position text for evidence: "c/m" or "c/deleted". */
export const posText = (p: Pos): string => `${p.c}/${p.m === null ? "deleted" : p.m}`;
