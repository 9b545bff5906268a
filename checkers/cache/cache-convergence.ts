/**
 * cache-convergence: after the final heal, every cache client's copy equals the subtree as a sync + read
 * shows it (the `final` op reads both, waiting up to its bound for the copy to catch up). A znode that
 * differs is listed with the truth, the copy, and the write that made the truth. A client whose final op
 * did not succeed leaves the verdict unknown (unless another client's copy already differs).
 */
import type { Op } from "../../kernel/op.ts";
import type { CheckResult, Checker } from "../checker.ts";
import { cutReason, historyCompleteness } from "../history-completeness.ts";
import { comparePos, entryPos, posText, readCacheHistory, type CopyEntry, type Snapshot } from "./history.ts";

export interface Divergence {
  readonly slot: number;
  readonly key: string;
  /** "czxid/mzxid", or null where absent. */
  readonly truth: string | null;
  readonly copy: string | null;
  /** The final op that reported it. */
  readonly index: number;
  readonly time: number;
  /** The acknowledged write that made the truth (a put of that version, or the delete of the copy's), if known. */
  readonly madeIndex: number | null;
  readonly madeAt: number | null;
}

const text = (e: CopyEntry | undefined): string | null => (e ? posText(entryPos(e)) : null);

export function checkCacheConvergence(history: readonly Op[]): CheckResult {
  const h = readCacheHistory(history);
  if (h.cacheOps === 0) return { valid: "unknown", reason: "no cache operations in the history" };
  const slots = new Set(h.journals.keys());
  for (const s of h.snapshots) slots.add(s.slot);
  const finals = new Map<number, Snapshot>();
  for (const s of h.snapshots) if (s.f === "final" && s.truth) finals.set(s.slot, s);
  const diverged: Divergence[] = [];
  let converged = 0;
  for (const slot of [...slots].sort((a, b) => a - b)) {
    const f = finals.get(slot);
    if (!f?.truth) continue;
    const keys = new Set([...Object.keys(f.truth), ...Object.keys(f.copy)]);
    let same = true;
    for (const key of [...keys].sort()) {
      const t = f.truth[key];
      const c = f.copy[key];
      if (t && c && comparePos(entryPos(t), entryPos(c)) === 0) continue;
      same = false;
      const made = t
        ? h.updates.find((u) => u.key === key && u.f === "put" && comparePos(u.pos, entryPos(t)) === 0)
        : h.updates.find((u) => u.key === key && u.f === "delete" && c && u.pos.c === entryPos(c).c);
      diverged.push({
        slot,
        key,
        truth: text(t),
        copy: text(c),
        index: f.index,
        time: f.time,
        madeIndex: made?.index ?? null,
        madeAt: made?.time ?? null,
      });
    }
    if (same) converged++;
  }
  const missing = [...slots].filter((s) => !finals.has(s)).sort((a, b) => a - b);
  const cut = historyCompleteness(history);
  const valid = diverged.length > 0 ? false : missing.length > 0 ? "unknown" : true;
  return {
    valid,
    clients: slots.size,
    convergedClients: converged,
    divergedCount: diverged.length,
    diverged: diverged.slice(0, 50),
    ...(missing.length
      ? {
          withoutFinal: missing,
          reason: cut.whole
            ? `client${missing.length > 1 ? "s" : ""} ${missing.join(", ")} reported no final copy`
            : cutReason(cut, "the final copies were never read"),
        }
      : {}),
    ...(cut.whole ? {} : { cut: cut.reason }),
  };
}

export const cacheConvergence: Checker = {
  name: "cache-convergence",
  check: (h) => checkCacheConvergence(h),
};
