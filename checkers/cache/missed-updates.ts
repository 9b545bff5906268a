/**
 * missed-updates: a watch-driven cache must not stay behind an acknowledged write. A copy a client reports
 * (a `read` after a round trip to its server and once its pending refreshes are done, or the `final` op)
 * must hold, for every znode, the newest acknowledged write that completed more than the bound before the
 * report was asked for (`boundMs`, recorded by the client: time for a lagging server to catch up or drop
 * its clients). Each write a client was found missing is listed with when it was made (the writer's ok op)
 * and when the client learned of it — a read of that version or a later one, or a copy holding it — or
 * that it never did. A naive cache that opens a new session after an expiry and only sets its watches
 * again misses every write made while it was gone, until that znode changes again.
 */
import type { Op } from "../../kernel/op.ts";
import type { CheckResult, Checker } from "../checker.ts";
import { cutReason, historyCompleteness } from "../history-completeness.ts";
import {
  comparePos,
  learns,
  posText,
  readCacheHistory,
  reflects,
  type Snapshot,
  type Update,
} from "./history.ts";

const MAX = 50;

export interface MissedUpdate {
  readonly slot: number;
  readonly key: string;
  readonly f: "put" | "delete";
  /** The version written, "czxid/mzxid" or "czxid/deleted". */
  readonly version: string;
  /** The writer's ok op: history index, completion time (ns), client slot. */
  readonly madeIndex: number;
  readonly madeAt: number;
  readonly madeBy: number;
  /** The first copy found without it: op index, invoke time (ns), `read` or `final`. */
  readonly staleIndex: number;
  readonly staleAt: number;
  readonly staleIn: string;
  /** When the client first learned of it (or of a later version), ns; null: never. */
  readonly learnedAt: number | null;
}

/** Per slot, each snapshot against the newest update per key completed bound-ago. */
function findMissed(
  slot: number,
  snaps: readonly Snapshot[],
  byKey: ReadonlyMap<string, readonly Update[]>,
  h: ReturnType<typeof readCacheHistory>,
): MissedUpdate[] {
  const out = new Map<string, MissedUpdate>();
  const ptr = new Map<string, { i: number; best: Update | null }>();
  const journal = h.journals.get(slot) ?? [];
  for (const s of snaps) {
    const horizon = s.invoked - s.boundMs * 1e6;
    for (const [key, ups] of byKey) {
      let p = ptr.get(key);
      if (!p) ptr.set(key, (p = { i: 0, best: null }));
      while (p.i < ups.length && ups[p.i]!.time < horizon) {
        const u = ups[p.i++]!;
        if (!p.best || comparePos(u.pos, p.best.pos) > 0) p.best = u;
      }
      const u = p.best;
      if (!u || reflects(s.copy, key, u.pos, h.deletes, s.time)) continue;
      const id = `${key} ${u.index}`;
      if (out.has(id)) continue;
      const fromJournal = journal.find((e) => e.t > u.time && learns(e, key, u.pos))?.t ?? null;
      const fromCopy =
        snaps.find((x) => x.time > s.time && reflects(x.copy, key, u.pos, h.deletes, x.time))?.time ?? null;
      const learned = [fromJournal, fromCopy].filter((t): t is number => t !== null);
      out.set(id, {
        slot,
        key,
        f: u.f,
        version: posText(u.pos),
        madeIndex: u.index,
        madeAt: u.time,
        madeBy: u.slot,
        staleIndex: s.index,
        staleAt: s.invoked,
        staleIn: s.f,
        learnedAt: learned.length ? Math.min(...learned) : null,
      });
    }
  }
  return [...out.values()];
}

export function checkMissedUpdates(history: readonly Op[]): CheckResult {
  const h = readCacheHistory(history);
  if (h.cacheOps === 0) return { valid: "unknown", reason: "no cache operations in the history" };
  const byKey = new Map<string, Update[]>();
  for (const u of h.updates) {
    let l = byKey.get(u.key);
    if (!l) byKey.set(u.key, (l = []));
    l.push(u);
  }
  for (const l of byKey.values()) l.sort((a, b) => a.time - b.time);
  const bySlot = new Map<number, Snapshot[]>();
  for (const s of h.snapshots) {
    let l = bySlot.get(s.slot);
    if (!l) bySlot.set(s.slot, (l = []));
    l.push(s);
  }
  const missed: MissedUpdate[] = [];
  for (const [slot, snaps] of [...bySlot].sort((a, b) => a[0] - b[0])) {
    snaps.sort((a, b) => a.invoked - b.invoked);
    missed.push(...findMissed(slot, snaps, byKey, h));
  }
  missed.sort((a, b) => a.staleAt - b.staleAt);
  const never = missed.filter((m) => m.learnedAt === null).length;
  const cut = historyCompleteness(history);
  return {
    valid: missed.length === 0,
    acknowledgedWrites: h.updates.length,
    copiesChecked: h.snapshots.length,
    missedCount: missed.length,
    neverLearnedCount: never,
    missed: missed.slice(0, MAX),
    ...(cut.whole
      ? {}
      : {
          cut: cut.reason,
          note: cutReason(cut, "copies the final phase would have reported are not judged"),
        }),
  };
}

export const missedUpdates: Checker = { name: "missed-updates", check: (h) => checkMissedUpdates(h) };
