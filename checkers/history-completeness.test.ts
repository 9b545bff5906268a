import { describe, expect, it } from "vitest";
import { CUT, cutLine, cutReason, historyCompleteness } from "./history-completeness.ts";
import { history, mark, seq } from "./testing/history.ts";

describe("historyCompleteness", () => {
  const ops = seq(0, "enqueue", 1, "ok");

  it("whole once the final phase completed", () => {
    const h = history(
      ...mark("main"),
      ...ops,
      ...mark("final"),
      ...seq(0, "drain", null, "ok", [1]),
      ...mark("done"),
    );
    expect(historyCompleteness(h)).toEqual({ whole: true });
  });

  it("cut when the final phase never ran", () => {
    expect(historyCompleteness(history(...mark("main"), ...ops))).toEqual({
      whole: false,
      reason: "the final phase never ran",
    });
  });

  it("cut when the final phase started but did not finish", () => {
    const h = history(...mark("main"), ...ops, ...mark("final"), [1, "invoke", "drain", null]);
    expect(historyCompleteness(h)).toEqual({ whole: false, reason: "the final phase did not finish" });
  });

  it("a history without marks (older, or from elsewhere) is taken as whole", () => {
    expect(historyCompleteness(history(...ops))).toEqual({ whole: true });
  });

  it("faults and other nemesis ops are not marks", () => {
    const h = history(
      ["nemesis", "invoke", "start-partition", null],
      ["nemesis", "info", "start-partition", "done"],
      ...ops,
    );
    expect(historyCompleteness(h)).toEqual({ whole: true });
  });

  it("says why in one line", () => {
    expect(cutReason({ reason: "the final phase never ran" }, "3 items not judged")).toBe(
      `${CUT} (the final phase never ran): 3 items not judged`,
    );
  });

  it("one line for a verdict's reader from the checkers' results", () => {
    expect(
      cutLine({
        a: { valid: true },
        "total-queue": { valid: "unknown", cut: "the final phase did not finish" },
      }),
    ).toBe(
      `${CUT} (the final phase did not finish): what only the final phase would have read back is not judged`,
    );
    expect(cutLine({ a: { valid: false } })).toBeUndefined();
  });
});
