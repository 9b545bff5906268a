/**
 * What goes in must come out, exactly once (Jepsen's total-queue, stricter on duplicates): every
 * acknowledged enqueue is dequeued once by the end of the history (which must include the final drain).
 * - lost: acknowledged (ok) enqueues never dequeued;
 * - duplicated: values dequeued more than once;
 * - unexpected: values dequeued that were never enqueued, or whose enqueue certainly failed;
 * - recovered: indeterminate (info / unfinished) enqueues that were dequeued — fine, reported.
 * Dequeues are `dequeue` ok ops (value: the element, null when empty) and `drain` ok ops (value: a list).
 * On a history cut before its final drain, an element not yet dequeued may still be in the queue: such
 * elements are `undrained`, not lost, and make the verdict unknown unless something else is invalid.
 */
import type { Op } from "../kernel/op.ts";
import type { CheckResult, Checker } from "./checker.ts";
import { cutReason, historyCompleteness } from "./history-completeness.ts";
import { pairOps } from "./pairs.ts";
import { canonical } from "./values.ts";

const MAX = 50;

/** Check a queue history. */
export function checkTotalQueue(history: readonly Op[]): CheckResult {
  const attempted = new Map<string, unknown>(); // canonical → value
  const acked = new Set<string>();
  const failed = new Set<string>();
  const dequeued = new Map<string, number>();
  const dequeuedValue = new Map<string, unknown>();
  const take = (v: unknown): void => {
    if (v === null || v === undefined) return;
    const k = canonical(v);
    dequeued.set(k, (dequeued.get(k) ?? 0) + 1);
    dequeuedValue.set(k, v);
  };
  for (const { invoke, completion } of pairOps(history).pairs) {
    if (invoke.f === "enqueue") {
      const k = canonical(invoke.value);
      attempted.set(k, invoke.value);
      if (completion?.type === "ok") acked.add(k);
      else if (completion?.type === "fail") failed.add(k);
    } else if (completion?.type === "ok" && invoke.f === "dequeue") {
      take(completion.value);
    } else if (completion?.type === "ok" && invoke.f === "drain") {
      const v = completion.value;
      if (Array.isArray(v)) v.forEach(take);
      else take(v);
    }
  }
  const val = (k: string): unknown => attempted.get(k) ?? dequeuedValue.get(k);
  const missing = [...acked].filter((k) => !dequeued.has(k));
  const cut = historyCompleteness(history);
  const lost = cut.whole ? missing : [];
  const undrained = cut.whole ? [] : missing;
  const duplicated = [...dequeued].filter(([, n]) => n > 1).map(([k, count]) => ({ value: val(k), count }));
  const unexpected = [...dequeued.keys()].filter(
    (k) => !attempted.has(k) || (failed.has(k) && !acked.has(k)),
  );
  const recovered = [...dequeued.keys()].filter((k) => attempted.has(k) && !acked.has(k) && !failed.has(k));
  const broken = lost.length > 0 || duplicated.length > 0 || unexpected.length > 0;
  const valid = broken ? false : undrained.length > 0 ? "unknown" : true;
  return {
    valid,
    attemptCount: attempted.size,
    acknowledgedCount: acked.size,
    dequeuedCount: [...dequeued.values()].reduce((a, b) => a + b, 0),
    lostCount: lost.length,
    duplicatedCount: duplicated.length,
    unexpectedCount: unexpected.length,
    recoveredCount: recovered.length,
    lost: lost.slice(0, MAX).map(val),
    duplicated: duplicated.slice(0, MAX),
    unexpected: unexpected.slice(0, MAX).map(val),
    recovered: recovered.slice(0, MAX).map(val),
    ...(cut.whole
      ? {}
      : {
          cut: cut.reason,
          undrainedCount: undrained.length,
          undrained: undrained.slice(0, MAX).map(val),
        }),
    ...(valid === "unknown" && !cut.whole
      ? {
          reason: cutReason(
            cut,
            `${undrained.length} acknowledged ${undrained.length === 1 ? "item" : "items"} not dequeued by then, not judged lost`,
          ),
        }
      : {}),
  };
}

/** The total-queue Checker. */
export const totalQueue: Checker = { name: "total-queue", check: (history) => checkTotalQueue(history) };
