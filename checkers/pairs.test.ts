import { describe, expect, it } from "vitest";
import { pairOps } from "./pairs.ts";
import { history } from "./testing/history.ts";

describe("pairOps", () => {
  it("matches completions to invokes by process, skipping the nemesis", () => {
    const h = history(
      [0, "invoke", "read", null],
      [1, "invoke", "write", 1],
      ["nemesis", "invoke", "start-partition", null],
      [1, "ok", "write", 1],
      ["nemesis", "info", "start-partition", "majority"],
      [0, "info", "read", null],
      [2, "invoke", "read", null],
    );
    const { pairs, anomalies } = pairOps(h);
    expect(pairs.map((p) => [p.invoke.index, p.completion?.index])).toEqual([
      [0, 5],
      [1, 3],
      [6, undefined],
    ]);
    expect(anomalies).toEqual({ orphanCompletions: [], abandonedInvokes: [] });
  });

  it("reports orphan completions and invokes overtaken by another", () => {
    const h = history([0, "ok", "read", 1], [1, "invoke", "read", null], [1, "invoke", "read", null]);
    const { pairs, anomalies } = pairOps(h);
    expect(pairs).toHaveLength(2);
    expect(anomalies).toEqual({ orphanCompletions: [0], abandonedInvokes: [1] });
  });
});
