import { describe, expect, it } from "vitest";
import { campaignExitCode, countVerdicts, verdictOf, type Verdict } from "./verdict.ts";

describe("campaignExitCode", () => {
  it.each<[Verdict[], number]>([
    [[], 0],
    [["valid", "valid"], 0],
    [["valid", "unknown"], 2],
    [["valid", "crashed"], 2],
    [["valid", "skipped"], 2],
    [["valid", "invalid"], 1],
    // an invalid run is never hidden by a crashed or unknown one
    [["crashed", "invalid", "unknown"], 1],
    [["unknown", "crashed"], 2],
  ])("%o → %i", (verdicts, code) => {
    expect(campaignExitCode(verdicts)).toBe(code);
  });

  it("verdictOf maps the three-valued validity", () => {
    expect([verdictOf(true), verdictOf(false), verdictOf("unknown")]).toEqual([
      "valid",
      "invalid",
      "unknown",
    ]);
  });

  it("countVerdicts counts each kind", () => {
    expect(countVerdicts(["valid", "invalid", "valid", "crashed"])).toEqual({
      valid: 2,
      invalid: 1,
      unknown: 0,
      crashed: 1,
      skipped: 0,
    });
  });
});
