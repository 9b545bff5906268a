/**
 * A campaign run's verdict and the campaign's exit code. Jepsen's test-all exits 255 if any test crashed,
 * else 2 if any was unknown, else 1 if any was invalid. We rank an invalid run first instead (as `check`
 * does): a safety violation found is the news, and a flaky run elsewhere must not hide it.
 */
import type { Validity } from "../../checkers/checker.ts";
import { EXIT } from "../../kernel/errors.ts";

/** `crashed`: the harness failed (no verdict); `skipped`: never ran (the campaign was interrupted). */
export type Verdict = "valid" | "invalid" | "unknown" | "crashed" | "skipped";

export const verdictOf = (valid: Validity): Verdict =>
  valid === true ? "valid" : valid === false ? "invalid" : "unknown";

/** Any invalid → 1; else any unknown, crashed or skipped → 2; else 0 (an empty campaign is valid). */
export function campaignExitCode(verdicts: readonly Verdict[]): number {
  if (verdicts.includes("invalid")) return EXIT.invalid;
  if (verdicts.some((v) => v !== "valid")) return EXIT.unknown;
  return EXIT.valid;
}

/** How many runs had each verdict, in a fixed order. */
export function countVerdicts(verdicts: readonly Verdict[]): Record<Verdict, number> {
  const counts: Record<Verdict, number> = { valid: 0, invalid: 0, unknown: 0, crashed: 0, skipped: 0 };
  for (const v of verdicts) counts[v]++;
  return counts;
}
