import { describe, expect, it } from "vitest";
import { history, seq } from "../checkers/testing/history.ts";
import type { Op } from "../kernel/op.ts";
import { buildRunModel, faultContext, faultContextSpan, faultLabel } from "./run-model.ts";

const S = 1e9;
/** The helper's times (10 per position) as seconds: position i at i s. */
const timed = (ops: Op[]): Op[] => ops.map((o) => ({ ...o, time: o.time * 0.1 * S }));

describe("the run model", () => {
  it("labels each nemesis's value shape", () => {
    expect(
      faultLabel("partition", {
        shape: "bridge",
        groups: [
          ["zk1", "zk2"],
          ["zk2", "zk3"],
        ],
        bridge: "zk2",
        mode: "refuse",
      }),
    ).toBe("partition bridge zk1 zk2 | zk2 zk3 bridge zk2 (refuse)");
    expect(faultLabel("latency", { latencyMs: 100, jitterMs: 50, nodes: ["zk1"] })).toBe(
      "latency +100±50 ms on zk1",
    );
    expect(faultLabel("pause", { node: "zk2", target: "leader" })).toBe("pause zk2 (leader)");
    expect(faultLabel("kill", { node: "zk3", target: "any" })).toBe("kill zk3 (any)");
    expect(faultLabel("pause-client", { slot: 1, durationMs: 8000, mode: "network" })).toBe(
      "pause client c1 (network 8.0 s)",
    );
    expect(faultLabel("lost-replies", { nodes: ["zk1", "zk2"] })).toBe("lost replies from zk1 zk2");
    expect(
      faultLabel("lagging-follower", { follower: "zk3", lagMs: 500, jitterMs: 100, readers: [0, 2] }),
    ).toBe("lagging follower zk3 +500±100 ms; readers c0 c2");
    expect(faultLabel("something", { a: 1 })).toBe('something {"a":1}');
  });

  it("folds retired process numbers into their client's lane, and finds the fault windows", () => {
    const ops = timed(
      history(
        ...seq(0, "read", null, "ok"),
        [1, "invoke", "write", 1],
        ["nemesis", "invoke", "pause-client", null],
        ["nemesis", "info", "pause-client", { slot: 1, durationMs: 2000 }],
        [1, "info", "write", 1, undefined, { error: "timeout" }],
        ["nemesis", "invoke", "resume-client", null],
        ["nemesis", "info", "resume-client", null],
        ...seq(3, "write", 2, "ok"),
      ),
    );
    const m = buildRunModel(ops, 2);
    expect(m.lanes).toEqual([
      { label: "c0", processes: [0] },
      { label: "c1", processes: [1, 3] },
    ]);
    expect(m.spans.map((s) => [s.process, s.lane, s.type, s.error])).toEqual([
      [0, 0, "ok", undefined],
      [1, 1, "info", "timeout"],
      [3, 1, "ok", undefined],
    ]);
    expect(m.windows).toMatchObject([
      { fault: "pause-client", start: 4, end: 7, label: "pause client c1 (2.0 s)" }, // completion times of start and stop
    ]);
    expect(faultContext(m.windows, 5)).toBe(
      "during pause client c1 (2.0 s) from 4.000\u00a0s to 7.000\u00a0s",
    );
    expect(faultContext(m.windows, 8)).toBe(
      "1.000\u00a0s after the end of pause client c1 (2.0 s) from 4.000\u00a0s to 7.000\u00a0s",
    );
    expect(faultContext(m.windows, 20)).toBe("with no fault active");
    expect(faultContextSpan(m.windows, 0, 4.5)).toMatch(/^across pause client c1/);
    expect(faultContextSpan(m.windows, 0, 3)).toBe("with no fault active");
  });

  it("finds stretches with operations in flight and none completing ok", () => {
    const ops: Op[] = [];
    let i = 0;
    const op = (p: number, t0: number, t1: number, type: "ok" | "info") => {
      ops.push({ index: i++, time: t0 * S, type: "invoke", process: p, f: "w", value: null });
      ops.push({ index: i++, time: t1 * S, type, process: p, f: "w", value: null });
    };
    for (let t = 0; t < 5; t += 0.1) op(0, t, t + 0.05, "ok");
    op(0, 5, 9, "info"); // stuck for 4 s: nothing completes
    for (let t = 9; t < 10; t += 0.1) op(0, t, t + 0.05, "ok");
    const m = buildRunModel(ops.sort((a, b) => a.time - b.time));
    expect(m.unavailable).toHaveLength(1);
    expect(m.unavailable[0]!.start).toBeCloseTo(5.05, 5); // the last ok before the stuck op
    expect(m.unavailable[0]!.end).toBeCloseTo(9.05, 5); // the first ok after it
  });
});
