/**
 * Exactly-once at the sink: every logical write (event id) is applied at most once by the resource, and
 * none that a client saw acknowledged is lost. Ids come from the history (`value.id`, or a scalar value)
 * and from the resource log (`id`, else `key`); a resource event counts as an application when it was
 * accepted and not marked `applied: false`. On a history cut before its final phase (the last export pass),
 * an acknowledged write not yet applied may still be on its way: `unapplied`, not lost, and the verdict
 * unknown unless something else is invalid.
 */
import type { Op } from "../kernel/op.ts";
import type { CheckResult, Checker } from "./checker.ts";
import { cutReason, historyCompleteness } from "./history-completeness.ts";
import { pairOps } from "./pairs.ts";
import type { ResourceEvent } from "../kernel/resource.ts";

const MAX = 50;

/** Options: which history ops carry write ids, and how to read the id. */
export interface DuplicateWritesOptions {
  /** `f` values of the write ops (default: every f except read/get). */
  readonly fs?: readonly string[];
  /** The logical id of an op (default: `value.id`, or the value itself when scalar). */
  readonly idOf?: (op: Op) => string | undefined;
}

/** The default id reader: `value.id`, or a string / number value. */
export function defaultWriteId(op: Op): string | undefined {
  const v = op.value;
  if (typeof v === "string" || typeof v === "number") return String(v);
  if (v !== null && typeof v === "object" && "id" in v) {
    const id = (v as { id?: unknown }).id;
    if (typeof id === "string" || typeof id === "number") return String(id);
  }
  return undefined;
}

/** Check resource applications against the history's acknowledged writes. */
export function checkDuplicateWrites(
  history: readonly Op[],
  resource: readonly ResourceEvent[],
  opts: DuplicateWritesOptions = {},
): CheckResult {
  const idOf = opts.idOf ?? defaultWriteId;
  const isWrite = (f: string): boolean => (opts.fs ? opts.fs.includes(f) : f !== "read" && f !== "get");
  const acked = new Set<string>();
  const attempted = new Set<string>();
  const failed = new Set<string>();
  for (const { invoke, completion } of pairOps(history).pairs) {
    if (!isWrite(invoke.f)) continue;
    const id = idOf(invoke) ?? (completion ? idOf(completion) : undefined);
    if (id === undefined) continue;
    attempted.add(id);
    if (completion?.type === "ok") acked.add(id);
    else if (completion?.type === "fail") failed.add(id);
  }
  const applied = new Map<string, number>();
  for (const e of resource) {
    // an idempotent sink acknowledges a repeat without applying it (`applied: false`): not a second application
    if (!e.accepted || e.applied === false) continue;
    const id = e.id ?? e.key;
    if (id === undefined) continue;
    applied.set(String(id), (applied.get(String(id)) ?? 0) + 1);
  }
  const duplicated = [...applied].filter(([, n]) => n > 1).map(([id, count]) => ({ id, count }));
  const missing = [...acked].filter((id) => !applied.has(id));
  const cut = historyCompleteness(history);
  const lost = cut.whole ? missing : [];
  const unapplied = cut.whole ? [] : missing;
  // applied but never attempted, or attempted and certainly failed: neither should be at the sink
  const unexpected = [...applied.keys()].filter(
    (id) => !attempted.has(id) || (failed.has(id) && !acked.has(id)),
  );
  const recovered = [...applied.keys()].filter(
    (id) => attempted.has(id) && !acked.has(id) && !failed.has(id),
  );
  const broken = duplicated.length > 0 || lost.length > 0 || unexpected.length > 0;
  const valid = broken ? false : unapplied.length > 0 ? "unknown" : true;
  return {
    valid,
    attemptedCount: attempted.size,
    acknowledgedCount: acked.size,
    appliedCount: applied.size,
    duplicatedCount: duplicated.length,
    lostCount: lost.length,
    unexpectedCount: unexpected.length,
    recoveredCount: recovered.length,
    duplicated: duplicated.slice(0, MAX),
    lost: lost.slice(0, MAX),
    unexpected: unexpected.slice(0, MAX),
    recovered: recovered.slice(0, MAX),
    ...(cut.whole
      ? {}
      : { cut: cut.reason, unappliedCount: unapplied.length, unapplied: unapplied.slice(0, MAX) }),
    ...(valid === "unknown" && !cut.whole
      ? {
          reason: cutReason(
            cut,
            `${unapplied.length} acknowledged ${unapplied.length === 1 ? "write" : "writes"} not applied by then, not judged lost`,
          ),
        }
      : {}),
  };
}

/** A Checker over the history plus a fixed resource log. */
export function duplicateWrites(
  resource: readonly ResourceEvent[],
  opts: DuplicateWritesOptions = {},
): Checker {
  return { name: "duplicate-writes", check: (history) => checkDuplicateWrites(history, resource, opts) };
}
