/**
 * Leader safety at the guarded resource: at most one leader's writes are accepted per epoch, and no
 * leader's write is accepted after its successor's first accepted write. A leader is a tenure: the event's
 * `holder` (session or latch) plus its `epoch` when known, ranked by its epoch when known (a ZooKeeper latch's
 * czxid, a term: a lower one led earlier), else by its first accepted write.
 */
import type { Op } from "../kernel/op.ts";
import type { CheckResult, Checker } from "./checker.ts";
import { byTime, ordinal } from "./ordinal.ts";
import type { ResourceEvent } from "../kernel/resource.ts";

const MAX = 20;

/** Check a resource log for leader safety. */
export function checkLeaderSafety(events: readonly ResourceEvent[]): CheckResult {
  const accepted = byTime(events).filter((e) => e.accepted);
  // 1. one leader per epoch
  const byEpoch = new Map<string, Map<string, number>>(); // epoch → holder → accepted writes
  for (const e of accepted) {
    if (e.epoch === undefined) continue;
    const ep = String(ordinal(e.epoch) ?? e.epoch);
    let m = byEpoch.get(ep);
    if (!m) byEpoch.set(ep, (m = new Map()));
    m.set(String(e.holder), (m.get(String(e.holder)) ?? 0) + 1);
  }
  const sharedEpochs = [...byEpoch]
    .filter(([, m]) => m.size > 1)
    .map(([epoch, m]) => ({ epoch, holders: Object.fromEntries(m) }));

  // 2. no write by a deposed leader after its successor's first write
  const rank = new Map<string, number>();
  const firstWrite: { tenure: string; holder: string | number; time: number }[] = [];
  const stale: {
    time: number;
    holder: string | number;
    epoch?: string | number;
    successor: string | number;
    successorFirstWrite: number;
  }[] = [];
  let staleCount = 0;
  const found = (e: ResourceEvent, successor: { holder: string | number; time: number }): void => {
    staleCount++;
    if (stale.length < MAX)
      stale.push({
        time: e.time,
        holder: e.holder,
        ...(e.epoch !== undefined ? { epoch: e.epoch } : {}),
        successor: successor.holder,
        successorFirstWrite: successor.time,
      });
  };
  /** The highest epoch written so far, and its tenure's first write. */
  let top: { epoch: bigint; holder: string | number; time: number } | null = null;
  for (const e of accepted) {
    const epoch = e.epoch === undefined ? undefined : ordinal(e.epoch);
    // A lower epoch than one already written is a deposed leader's, even as its tenure's first write (a
    // leader paused between its ZooKeeper act and its resource write); it does not rank as a new leader.
    if (epoch !== undefined && top !== null && epoch < top.epoch) {
      found(e, top);
      continue;
    }
    if (epoch !== undefined && (top === null || epoch > top.epoch))
      top = { epoch, holder: e.holder, time: e.time };
    const tenure = `${String(e.holder)}\u0000${e.epoch === undefined ? "" : String(e.epoch)}`;
    let r = rank.get(tenure);
    if (r === undefined) {
      rank.set(tenure, (r = firstWrite.length));
      firstWrite.push({ tenure, holder: e.holder, time: e.time });
    }
    const latest = firstWrite[firstWrite.length - 1]!;
    if (r < firstWrite.length - 1 && e.time > latest.time) found(e, latest);
  }
  return {
    valid: sharedEpochs.length === 0 && staleCount === 0,
    leaders: firstWrite.length,
    accepted: accepted.length,
    rejected: events.length - accepted.length,
    sharedEpochs: sharedEpochs.slice(0, MAX),
    staleWriteCount: staleCount,
    staleWrites: stale,
  };
}

/**
 * Leader safety in ZooKeeper's own order: the leaders' committed writes to ZooKeeper (ok ops `f` whose value
 * carries `holder`, `epoch` and the write's `mzxid`), ranked by mzxid, judged as a resource log would be. A
 * write whose outcome is unknown (info) is left out: it may or may not be in ZooKeeper's order.
 */
export function checkLeaderSafetyInZooKeeper(history: readonly Op[], f = "write"): CheckResult {
  const events: ResourceEvent[] = [];
  for (const op of history) {
    if (op.type !== "ok" || op.f !== f || op.value === null || typeof op.value !== "object") continue;
    const v = op.value as { holder?: unknown; epoch?: unknown; mzxid?: unknown; entry?: unknown };
    const zxid = ordinal(v.mzxid);
    if (zxid === undefined || (typeof v.holder !== "string" && typeof v.holder !== "number")) continue;
    events.push({
      time: Number(zxid),
      holder: v.holder,
      op: "write",
      accepted: true,
      ...(typeof v.epoch === "string" || typeof v.epoch === "number" ? { epoch: v.epoch } : {}),
      ...(typeof v.entry === "number" ? { id: v.entry } : {}),
    });
  }
  return { ...checkLeaderSafety(events), order: "mzxid" };
}

export function leaderSafetyInZooKeeper(f = "write"): Checker {
  return { name: "leader-safety-zk", check: (history) => checkLeaderSafetyInZooKeeper(history, f) };
}

/** A Checker over a fixed resource log. */
export function leaderSafety(resource: readonly ResourceEvent[]): Checker {
  return { name: "leader-safety", check: (_history: readonly Op[]) => checkLeaderSafety(resource) };
}
