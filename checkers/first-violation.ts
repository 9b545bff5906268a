/**
 * When a run first went wrong: the earliest moment any checker's evidence points at (a second dequeue of
 * one item, the op the linearizability search could not place, an overlapping critical section, a token
 * that went down, a lost update, a stale leader write, an event applied twice at the sink, the bound after
 * the last heal passing with no progress, a listing with a leaked ephemeral). Pure: the
 * checkers' results plus the history and the resource log they judged.
 */
import type { ResourceEvent } from "../kernel/resource.ts";

type Json = Record<string, unknown>;
interface Timed {
  readonly time: number;
}
interface HistoryLike {
  readonly time: number;
  readonly type: string;
  readonly f: string;
  readonly value?: unknown;
}

/** The earliest violation's time on the history's clock (ns), or null when no evidence names one. */
export function firstViolationTime(
  checkers: Readonly<Record<string, Json>>,
  history: readonly HistoryLike[],
  resource: readonly Pick<ResourceEvent, "time" | "accepted" | "applied" | "id">[],
): number | null {
  const times: number[] = [];
  const list = <T>(v: unknown): readonly T[] => (Array.isArray(v) ? (v as T[]) : []);

  const duplicated = new Set(
    list<{ value: unknown }>(checkers["total-queue"]?.duplicated).map((d) => JSON.stringify(d.value)),
  );
  if (duplicated.size > 0) {
    const seen = new Set<string>();
    for (const op of history) {
      if (op.type !== "ok" || (op.f !== "dequeue" && op.f !== "drain")) continue;
      for (const v of Array.isArray(op.value) ? op.value : [op.value]) {
        const k = JSON.stringify(v);
        if (!duplicated.has(k)) continue;
        if (seen.has(k)) times.push(op.time);
        seen.add(k);
      }
    }
  }
  for (const c of Object.values(checkers)) {
    const failed = (c.evidence as { failedOp?: { start?: unknown } } | undefined)?.failedOp?.start;
    if (typeof failed === "number") times.push(failed);
  }
  const lock = checkers["lock-safety"];
  for (const o of list<{ b: { start: number } }>(lock?.overlaps)) times.push(o.b.start);
  for (const r of list<Timed>(lock?.tokenRegressions)) times.push(r.time);
  for (const l of list<Timed>(checkers["lost-updates"]?.lostUpdates)) times.push(l.time);
  for (const s of list<Timed>(checkers["leader-safety"]?.staleWrites)) times.push(s.time);
  // A cache copy reported without an acknowledged write; a final copy unlike the truth; a read out of order.
  for (const m of list<{ staleAt: number }>(checkers["missed-updates"]?.missed)) times.push(m.staleAt);
  for (const d of list<Timed>(checkers["cache-convergence"]?.diverged)) times.push(d.time);
  for (const v of list<Timed>(checkers["cache-order"]?.violations)) times.push(v.time);
  const heal = checkers["after-heal"];
  if (heal?.valid === false) {
    if (typeof heal.stuckAt === "number") times.push(heal.stuckAt);
    const leaked = (heal.ephemerals as { leaked?: unknown } | undefined)?.leaked;
    for (const l of list<{ listedAt: number }>(leaked)) times.push(l.listedAt);
  }
  if (checkers["duplicate-writes"]?.valid === false) {
    const applied = new Set<string>();
    for (const e of resource) {
      if (!e.accepted || e.applied === false || e.id === undefined) continue;
      const k = JSON.stringify(e.id);
      if (applied.has(k)) {
        times.push(e.time);
        break;
      }
      applied.add(k);
    }
  }
  const finite = times.filter((t) => Number.isFinite(t));
  return finite.length ? Math.min(...finite) : null;
}

/** Seconds (one decimal) from `start` (the first client op) to the first violation, or null. */
export function firstViolationSeconds(violationNs: number | null, startNs: number): number | null {
  return violationNs === null ? null : Math.round(Math.max(0, violationNs - startNs) / 1e8) / 10;
}
