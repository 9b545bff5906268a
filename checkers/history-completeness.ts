/**
 * Whether a history is whole or was cut before its end (the harness killed, crashed or stopped early), from
 * the runner's phase marks (kernel/op.ts). A cut history is never judged invalid for what the missing final
 * phase explains (an element no drain read back); what the cut cannot explain (a duplicate, two holders at
 * once) is still judged.
 */
import type { CheckResult } from "./checker.ts";
import { type Op, type PhaseMark, PHASE_F, isNemesisOp } from "../kernel/op.ts";

export type Completeness =
  | { readonly whole: true }
  | {
      readonly whole: false;
      /** Why: "the final phase never ran" or "the final phase did not finish". */
      readonly reason: string;
    };

/** The prefix every cut verdict's reason starts with. */
export const CUT = "history cut before the final phase";

const markOf = (op: Op): PhaseMark | undefined =>
  isNemesisOp(op) && op.f === PHASE_F && (op.value === "main" || op.value === "final" || op.value === "done")
    ? op.value
    : undefined;

/** Whole when the final phase completed, or when there are no marks at all (older or imported histories). */
export function historyCompleteness(history: readonly Op[]): Completeness {
  let marked = false;
  let finalStarted = false;
  for (const op of history) {
    const mark = markOf(op);
    if (mark === undefined) continue;
    if (mark === "done") return { whole: true };
    marked = true;
    if (mark === "final") finalStarted = true;
  }
  if (!marked) return { whole: true };
  return {
    whole: false,
    reason: finalStarted ? "the final phase did not finish" : "the final phase never ran",
  };
}

/** "history cut before the final phase (the final phase never ran): <what is not judged>". */
export const cutReason = (c: { readonly reason: string }, notJudged: string): string =>
  `${CUT} (${c.reason}): ${notJudged}`;

/** One line for a verdict's reader when any checker result says its history was cut, else undefined. */
export function cutLine(checkers: Readonly<Record<string, CheckResult>>): string | undefined {
  const cut = Object.values(checkers).find((r) => typeof r.cut === "string")?.cut as string | undefined;
  return cut === undefined
    ? undefined
    : cutReason({ reason: cut }, "what only the final phase would have read back is not judged");
}
