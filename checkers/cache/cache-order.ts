/**
 * cache-order: what each cache client learned never goes back in zxid, and it sees a watch event before
 * the new data it announces (ZooKeeper's ordering guarantee for watches). Per client slot, over its
 * journal in time order:
 * - the (czxid, mzxid) of each znode's reads, and the root's pzxid of child-set reads, never go down —
 *   also across a new session (seed 002: a client must never see the past after it reconnects);
 * - within a session, a read that returns newer data than the read that set a still-unfired watch on that
 *   znode (or finds it gone) is a violation: the watch event must come first.
 */
import type { Op } from "../../kernel/op.ts";
import type { CheckResult, Checker } from "../checker.ts";
import { ordinal } from "../ordinal.ts";
import { comparePos, entryPos, posText, readCacheHistory, type JournalEntry, type Pos } from "./history.ts";

const MAX = 20;

export interface OrderViolation {
  readonly slot: number;
  readonly session: string;
  /** The child read, or null for the root's child set. */
  readonly key: string | null;
  readonly kind: "went-back" | "data-before-event";
  /** When the offending read was answered (ns since the test started). */
  readonly time: number;
  readonly seen: string;
  /** The earlier observation it contradicts, and when. */
  readonly before: string;
  readonly beforeTime: number;
}

interface Seen {
  pos: Pos;
  t: number;
}

/** Check one slot's journal; pushes its violations. Returns the reads it judged. */
function checkJournal(slot: number, journal: readonly JournalEntry[], out: OrderViolation[]): number {
  const lastData = new Map<string, Seen>();
  let lastChildren: { p: bigint; t: number } | null = null;
  const dataArm = new Map<string, Seen>();
  const childArm = new Map<string, { p: bigint; t: number }>();
  // Last watch event per session + key (key "" for the child set): an event after a read was sent may be
  // for the watch that read set, so that read arms nothing.
  const lastEvent = new Map<string, number>();
  const firedSince = (k: string, t0: number | undefined) =>
    t0 !== undefined && (lastEvent.get(k) ?? -1) >= t0;
  let judged = 0;
  const push = (v: OrderViolation) => out.push(v);
  for (const e of journal) {
    const armKey = (key: string) => `${e.session} ${key}`;
    switch (e.e) {
      case "event":
        lastEvent.set(armKey(e.key ?? ""), e.t);
        if (e.key === null) childArm.delete(e.session);
        else dataArm.delete(armKey(e.key));
        break;
      case "arm":
        if (e.key === null) break; // a re-armed child watch carries no pzxid here
        if (e.czxid !== undefined && e.mzxid !== undefined && !firedSince(armKey(e.key), e.t0))
          dataArm.set(armKey(e.key), { pos: entryPos([e.czxid, e.mzxid]), t: e.t });
        break;
      case "data":
      case "gone": {
        judged++;
        const arm = dataArm.get(armKey(e.key));
        const pos = e.e === "data" ? entryPos([e.czxid, e.mzxid]) : null;
        const seen = pos ? posText(pos) : "gone";
        if (arm && (pos === null || comparePos(pos, arm.pos) > 0))
          push({
            slot,
            session: e.session,
            key: e.key,
            kind: "data-before-event",
            time: e.t,
            seen,
            before: `watch set at ${posText(arm.pos)}`,
            beforeTime: arm.t,
          });
        if (pos) {
          const last = lastData.get(e.key);
          if (last && comparePos(pos, last.pos) < 0)
            push({
              slot,
              session: e.session,
              key: e.key,
              kind: "went-back",
              time: e.t,
              seen,
              before: posText(last.pos),
              beforeTime: last.t,
            });
          else lastData.set(e.key, { pos, t: e.t });
        }
        if (e.watch && pos && !firedSince(armKey(e.key), e.t0)) dataArm.set(armKey(e.key), { pos, t: e.t });
        else if (e.watch) dataArm.delete(armKey(e.key));
        else if (pos === null) dataArm.delete(armKey(e.key));
        break;
      }
      case "children": {
        judged++;
        const p = ordinal(e.pzxid) ?? 0n;
        const arm = childArm.get(e.session);
        if (arm && p > arm.p)
          push({
            slot,
            session: e.session,
            key: null,
            kind: "data-before-event",
            time: e.t,
            seen: `pzxid ${p}`,
            before: `child watch set at pzxid ${arm.p}`,
            beforeTime: arm.t,
          });
        if (lastChildren && p < lastChildren.p)
          push({
            slot,
            session: e.session,
            key: null,
            kind: "went-back",
            time: e.t,
            seen: `pzxid ${p}`,
            before: `pzxid ${lastChildren.p}`,
            beforeTime: lastChildren.t,
          });
        else lastChildren = { p, t: e.t };
        if (e.watch && !firedSince(armKey(""), e.t0)) childArm.set(e.session, { p, t: e.t });
        else if (e.watch) childArm.delete(e.session);
        break;
      }
      case "state":
        break;
    }
  }
  return judged;
}

export function checkCacheOrder(history: readonly Op[]): CheckResult {
  const h = readCacheHistory(history);
  if (h.cacheOps === 0) return { valid: "unknown", reason: "no cache operations in the history" };
  const violations: OrderViolation[] = [];
  let reads = 0;
  for (const [slot, journal] of [...h.journals].sort((a, b) => a[0] - b[0]))
    reads += checkJournal(slot, journal, violations);
  violations.sort((a, b) => a.time - b.time);
  return {
    valid: violations.length === 0,
    clients: h.journals.size,
    checkedReads: reads,
    violationCount: violations.length,
    violations: violations.slice(0, MAX),
  };
}

export const cacheOrder: Checker = { name: "cache-order", check: (h) => checkCacheOrder(h) };
