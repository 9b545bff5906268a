/**
 * ZooKeeper's session guarantee: a session never sees the past. Per session, the zxids its completed
 * operations observed (in completion order) never go down — also across a reconnect to another server.
 * Reads the zxid from `op.zxid` or `value.zxid` (number, decimal or 0x-hex string) of ok completions, and
 * the session from `op.session`; operations without both are not judged. A zxid recorded with `zxidPath`
 * is that node's mzxid, not the reply header's: it is compared only with the same session's zxids of the
 * same path (two nodes' mzxids say nothing about each other).
 *
 * ZooKeeper keeps this promise itself (a server behind a session's last zxid refuses its reconnect), so on
 * a correct ensemble and client this check stays valid: it finds a broken server or client (one that
 * reconnects without its last zxid), not an application's stale reads across sessions.
 */
import type { Op } from "../kernel/op.ts";
import type { CheckResult, Checker } from "./checker.ts";
import { jsonOrdinal, ordinal } from "./ordinal.ts";

const MAX = 20;

/** The zxid an op observed, if it recorded one. */
export function observedZxid(op: Op): bigint | undefined {
  if (op.zxid !== undefined) return ordinal(op.zxid);
  const v = op.value;
  if (v !== null && typeof v === "object" && "zxid" in v) return ordinal((v as { zxid?: unknown }).zxid);
  return undefined;
}

/** Check per-session zxid monotonicity. */
export function checkSessionOrder(history: readonly Op[]): CheckResult {
  const last = new Map<string, { zxid: bigint; index: number; node?: string }>();
  const sessions = new Set<string>();
  const violations: {
    session: string;
    path?: string;
    index: number;
    zxid: number | string;
    node?: string;
    previousIndex: number;
    previousZxid: number | string;
    previousNode?: string;
  }[] = [];
  let count = 0;
  let checked = 0;
  const ordered = history
    .filter((op) => op.type === "ok" && typeof op.session === "string")
    .map((op, i) => ({ op, i }))
    .sort((a, b) => a.op.time - b.op.time || a.i - b.i);
  for (const { op } of ordered) {
    const z = observedZxid(op);
    if (z === undefined) continue;
    checked++;
    const s = op.session!;
    sessions.add(s);
    const path = typeof op.zxidPath === "string" ? op.zxidPath : undefined;
    const key = path === undefined ? s : `${s} ${path}`;
    const prev = last.get(key);
    if (prev && z < prev.zxid) {
      count++;
      if (violations.length < MAX) {
        violations.push({
          session: s,
          ...(path !== undefined ? { path } : {}),
          index: op.index,
          zxid: jsonOrdinal(z),
          ...(op.node ? { node: op.node } : {}),
          previousIndex: prev.index,
          previousZxid: jsonOrdinal(prev.zxid),
          ...(prev.node ? { previousNode: prev.node } : {}),
        });
      }
      continue; // keep the high-water mark
    }
    last.set(key, { zxid: z, index: op.index, ...(op.node ? { node: op.node } : {}) });
  }
  return {
    valid: count === 0,
    sessions: sessions.size,
    checkedOps: checked,
    violationCount: count,
    violations,
  };
}

/** `checkers` with session-order added unless one of them already is (every workload gets it). */
export function withSessionOrder(checkers: readonly Checker[]): Checker[] {
  return checkers.some((c) => c.name === sessionOrder.name) ? [...checkers] : [...checkers, sessionOrder];
}

/** The session-order Checker. */
export const sessionOrder: Checker = {
  name: "session-order",
  check: (history) => checkSessionOrder(history),
};
