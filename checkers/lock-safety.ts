/**
 * Lock safety at the guarded resource: critical sections of different holders whose requests the resource
 * accepted never overlap in time, and (with fencing) accepted tokens never go down.
 *
 * A critical section is one holder's tenure: its events sharing a `token` (the lock znode's czxid) or a
 * `section` id; without either, the events from one `enter` to the next `exit` of that holder. Its span
 * runs from its first to its last accepted event.
 */
import type { Op } from "../kernel/op.ts";
import type { CheckResult, Checker } from "./checker.ts";
import { byTime, jsonOrdinal, ordinal } from "./ordinal.ts";
import type { ResourceEvent } from "../kernel/resource.ts";

/** One accepted critical section. */
export interface Section {
  readonly holder: string | number;
  readonly token?: number | string;
  readonly section?: string | number;
  readonly start: number;
  readonly end: number;
  readonly events: number;
}

/** Evidence cap per list. */
const MAX = 20;

function sections(events: readonly ResourceEvent[]): Section[] {
  const open = new Map<string, number>(); // holder → current enter/exit section number
  const spans = new Map<string, { -readonly [K in keyof Section]: Section[K] }>();
  for (const e of byTime(events)) {
    const h = String(e.holder);
    let id: string;
    if (e.token !== undefined) id = `t:${String(ordinal(e.token) ?? e.token)}`;
    else if (e.section !== undefined) id = `s:${String(e.section)}`;
    else {
      if (e.op === "enter") open.set(h, (open.get(h) ?? 0) + 1);
      id = `n:${open.get(h) ?? 0}`;
    }
    if (e.accepted) {
      const key = `${h}\u0000${id}`;
      const s = spans.get(key);
      if (s) {
        s.end = Math.max(s.end, e.time);
        s.events++;
      } else {
        spans.set(key, {
          holder: e.holder,
          ...(e.token !== undefined ? { token: e.token } : {}),
          ...(e.section !== undefined ? { section: e.section } : {}),
          start: e.time,
          end: e.time,
          events: 1,
        });
      }
    }
  }
  return [...spans.values()].sort((a, b) => a.start - b.start);
}

/** Check a resource log for lock safety. */
export function checkLockSafety(events: readonly ResourceEvent[]): CheckResult {
  const secs = sections(events);
  const overlaps: { a: Section; b: Section }[] = [];
  let overlapCount = 0;
  let widest: Section | undefined; // the section reaching furthest so far
  for (const s of secs) {
    if (widest && s.start <= widest.end && String(s.holder) !== String(widest.holder)) {
      overlapCount++;
      if (overlaps.length < MAX) overlaps.push({ a: widest, b: s });
    }
    if (!widest || s.end > widest.end) widest = s;
  }
  const regressions: {
    time: number;
    holder: string | number;
    token: number | string;
    previous: number | string;
    previousHolder: string | number;
  }[] = [];
  let regressionCount = 0;
  let best: { token: bigint; holder: string | number } | undefined;
  let fenced = 0;
  for (const e of byTime(events)) {
    if (!e.accepted || e.token === undefined) continue;
    const t = ordinal(e.token);
    if (t === undefined) continue;
    fenced++;
    if (best && t < best.token) {
      regressionCount++;
      if (regressions.length < MAX) {
        regressions.push({
          time: e.time,
          holder: e.holder,
          token: jsonOrdinal(t),
          previous: jsonOrdinal(best.token),
          previousHolder: best.holder,
        });
      }
    } else if (!best || t > best.token) best = { token: t, holder: e.holder };
  }
  return {
    valid: overlapCount === 0 && regressionCount === 0,
    sections: secs.length,
    accepted: events.filter((e) => e.accepted).length,
    rejected: events.filter((e) => !e.accepted).length,
    fencedEvents: fenced,
    overlapCount,
    overlaps,
    tokenRegressionCount: regressionCount,
    tokenRegressions: regressions,
  };
}

/** A Checker over a fixed resource log (the history itself is not needed). */
export function lockSafety(resource: readonly ResourceEvent[]): Checker {
  return { name: "lock-safety", check: (_history: readonly Op[]) => checkLockSafety(resource) };
}
