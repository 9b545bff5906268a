/**
 * Time to the first violation of stored runs, for the acceptance tables: seconds from the first client op
 * to the earliest moment a checker's evidence points at (a second dequeue of one item, the op the
 * linearizability search could not place, an overlapping critical section, a stale leader write, an event
 * applied twice at the sink).
 * Usage: npx tsx bench/first-violation.ts RUN_DIR…   (one JSON line per run)
 */
import { isClientOp } from "../kernel/op.ts";
import { readRunFiles } from "../report/run-files.ts";

type Json = Record<string, unknown>;

/** Earliest violation time (history ns), or null when the evidence names none. */
export function firstViolationTime(
  checkers: Record<string, Json>,
  history: Json[],
  resource: Json[],
): number | null {
  const times: number[] = [];
  const queue = checkers["total-queue"];
  const duplicated = new Set(
    ((queue?.duplicated as { value: unknown }[] | undefined) ?? []).map((d) => JSON.stringify(d.value)),
  );
  if (duplicated.size > 0) {
    const seen = new Set<string>();
    for (const op of history) {
      if (op.type !== "ok" || (op.f !== "dequeue" && op.f !== "drain")) continue;
      const values = Array.isArray(op.value) ? op.value : [op.value];
      for (const v of values) {
        const k = JSON.stringify(v);
        if (!duplicated.has(k)) continue;
        if (seen.has(k)) times.push(op.time as number);
        seen.add(k);
      }
    }
  }
  for (const c of Object.values(checkers)) {
    const evidence = c.evidence as { failedOp?: { start: number } } | undefined;
    if (evidence?.failedOp) times.push(evidence.failedOp.start);
  }
  const lock = checkers["lock-safety"];
  for (const o of (lock?.overlaps as { b: { start: number } }[] | undefined) ?? []) times.push(o.b.start);
  for (const s of (checkers["leader-safety"]?.staleWrites as { time: number }[] | undefined) ?? [])
    times.push(s.time);
  if (checkers["duplicate-writes"]?.valid === false) {
    const applied = new Set<string>();
    for (const e of resource) {
      if (!e.accepted || e.applied === false || e.id === undefined) continue;
      const k = JSON.stringify(e.id);
      if (applied.has(k)) {
        times.push(e.time as number);
        break;
      }
      applied.add(k);
    }
  }
  return times.length ? Math.min(...times) : null;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const dir of process.argv.slice(2)) {
    const run = readRunFiles(dir);
    if (!run.results) {
      console.log(JSON.stringify({ dir, valid: "unchecked", notes: run.notes }));
      continue;
    }
    const history = run.history as unknown as Json[];
    const start = run.history.find(isClientOp)?.time ?? 0;
    const t = firstViolationTime(
      run.results.checkers as Record<string, Json>,
      history,
      run.resource as unknown as Json[],
    );
    console.log(
      JSON.stringify({
        dir,
        valid: run.results.valid,
        firstViolationS: t === null ? null : Math.round((t - start) / 1e8) / 10,
      }),
    );
  }
}
