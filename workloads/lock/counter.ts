/**
 * Lost updates at the lock's guarded counter: every critical section is a read-modify-write (enter reads v,
 * exit writes v + 1). Under a working lock no other write is applied between a section's read and its
 * write; one that is means an increment was lost — the consequence of two holders at once that lock-safety
 * reports as overlapping sections. Judged from the resource log alone, in arrival order.
 */
import type { CheckResult, Checker } from "../../checkers/checker.ts";
import type { ResourceEvent } from "../../kernel/resource.ts";
import type { Op } from "../../kernel/op.ts";

const MAX = 20;

export interface LostUpdate {
  /** The section whose write overwrote another's. */
  readonly section: string;
  readonly holder: string | number;
  /** What the section read at enter. */
  readonly read: unknown;
  /** What the counter held when its write arrived (another section's write in between). */
  readonly current: unknown;
  readonly wrote: unknown;
  readonly time: number;
}

const arrival = (e: ResourceEvent, i: number): number => (typeof e.seq === "number" ? e.seq : i);

/** Check a lock's resource log for lost increments. */
export function checkCounter(events: readonly ResourceEvent[], key?: string): CheckResult {
  const ordered = events
    .map((e, i) => ({ e, at: arrival(e, i) }))
    .filter(({ e }) => key === undefined || e.key === key)
    .sort((a, b) => a.at - b.at)
    .map(({ e }) => e);
  const reads = new Map<string, unknown>(); // section → value read at enter
  // The counter's value as the log shows it: the first read (the resource starts empty), then each write.
  let current: unknown = null;
  let known = false;
  let increments = 0;
  let lostCount = 0;
  const lost: LostUpdate[] = [];
  for (const e of ordered) {
    if (!e.accepted) continue;
    const section = `${String(e.holder)}\u0000${String(e.section ?? e.token ?? "")}`;
    if (e.op === "enter") {
      const read = e.read === undefined ? null : e.read;
      reads.set(section, read);
      if (!known) [current, known] = [read, true];
    } else if (e.op === "exit" && e.applied !== false) {
      increments++;
      if (reads.has(section) && reads.get(section) !== current) {
        lostCount++;
        if (lost.length < MAX)
          lost.push({
            section: String(e.section ?? e.token ?? ""),
            holder: e.holder,
            read: reads.get(section),
            current,
            wrote: e.value,
            time: e.time,
          });
      }
      current = e.value === undefined ? null : e.value;
      known = true;
    }
  }
  return {
    valid: lostCount === 0,
    increments,
    final: current,
    lostUpdateCount: lostCount,
    lostUpdates: lost,
  };
}

/** A Checker over a fixed resource log. */
export function counter(resource: readonly ResourceEvent[], key?: string): Checker {
  return { name: "lost-updates", check: (_history: readonly Op[]) => checkCounter(resource, key) };
}
