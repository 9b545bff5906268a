import { describe, expect, it } from "vitest";
import type { Op } from "../../kernel/op.ts";
import { historyShapeProblems } from "./history-shape.ts";

const op = (index: number, process: Op["process"], type: Op["type"], f = "read", time = index): Op => ({
  index,
  time,
  process,
  type,
  f,
  value: null,
});

describe("historyShapeProblems", () => {
  it("accepts a well-formed history with an open invoke at the end", () => {
    const h = [
      op(0, 0, "invoke"),
      op(1, "nemesis", "invoke", "kill"),
      op(2, 0, "ok"),
      op(3, "nemesis", "info", "kill"),
      op(4, 1, "invoke"),
    ];
    expect(historyShapeProblems(h)).toEqual([]);
  });

  it("flags a reused process after info, a double invoke, a mismatched f and time going back", () => {
    const h = [
      op(0, 0, "invoke"),
      op(1, 0, "info"),
      op(2, 0, "invoke"),
      op(3, 1, "invoke", "write", 10),
      op(4, 1, "invoke", "write", 11),
      op(5, 2, "invoke", "read", 20),
      op(6, 2, "ok", "write", 19),
    ];
    const problems = historyShapeProblems(h);
    expect(problems.some((p) => p.includes("reappears"))).toBe(true);
    expect(problems.some((p) => p.includes("while 3 is open"))).toBe(true);
    expect(problems.some((p) => p.includes("does not match"))).toBe(true);
    expect(problems.some((p) => p.includes("time goes back"))).toBe(true);
  });
});
