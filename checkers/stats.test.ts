import { describe, expect, it } from "vitest";
import { checkStats, nemesisWindows, stats } from "./stats.ts";
import { history } from "./testing/history.ts";

const MS = 1e6;

describe("stats", () => {
  const h = history(
    [0, "invoke", "read", null, 0],
    ["nemesis", "invoke", "start-partition", null, 1 * MS],
    ["nemesis", "info", "start-partition", ["zk1"], 2 * MS],
    [0, "ok", "read", 1, 10 * MS],
    [1, "invoke", "write", 1, 11 * MS],
    [1, "info", "write", 1, 31 * MS],
    ["nemesis", "invoke", "stop-partition", null, 40 * MS],
    ["nemesis", "info", "stop-partition", null, 41 * MS],
    ["nemesis", "invoke", "pause", "zk2", 50 * MS],
    ["nemesis", "info", "pause", "zk2", 51 * MS],
    [2, "invoke", "read", null, 60 * MS],
    [2, "fail", "read", null, 61 * MS],
  );

  it("is always valid and summarizes latency per f and outcome (ms)", () => {
    const r = checkStats(h);
    expect(r.valid).toBe(true);
    expect(r.latency).toMatchObject({
      read: { ok: { count: 1, p50: 10, max: 10 }, fail: { count: 1, p99: 1 } },
      write: { info: { count: 1, mean: 20 } },
    });
    expect(r.ops).toMatchObject({ invoke: 3, ok: 1, fail: 1, info: 1 });
    expect(r.durationMs).toBe(61);
  });

  it("buckets throughput over time", () => {
    const r = checkStats(h, { bucketMs: 20 });
    const t = r.throughput as {
      bucketMs: number;
      buckets: { t: number; ok: number; fail: number; info: number }[];
    };
    expect(t.bucketMs).toBe(20);
    expect(t.buckets.map((b) => [b.t, b.ok, b.fail, b.info])).toEqual([
      [0, 1, 0, 0],
      [20, 0, 0, 1],
      [40, 0, 0, 0],
      [60, 0, 1, 0],
    ]);
  });

  it("pairs nemesis start/stop into windows; an unhealed one stays open", () => {
    expect(nemesisWindows(h)).toEqual([
      { fault: "partition", start: 2, end: 41, value: ["zk1"] },
      { fault: "pause", start: 51, end: null, value: "zk2" },
    ]);
  });

  it("counts only, for a history without real times", () => {
    const r = checkStats(h, { timeless: true });
    expect(r).toMatchObject({ valid: true, ops: { invoke: 3 } });
    expect(r.latency).toBeUndefined();
  });

  it("handles an empty history", async () => {
    expect(await stats().check([])).toMatchObject({ valid: true, durationMs: 0 });
  });
});
