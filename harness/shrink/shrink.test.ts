import { describe, expect, it } from "vitest";
import type { RunOutcome } from "../runner/run.ts";
import type { TestSpec } from "../runner/test-spec.ts";
import { DIMENSIONS, faultCapacity, type ShrinkSpec } from "./candidates.ts";
import { shrink, type ShrinkRunner } from "./shrink.ts";

const spec = {
  workload: "lock",
  variant: "naive",
  nodes: 3,
  clients: 5,
  timeLimit: 60,
  nemesis: ["partition", "client-pause"],
  nemesisInterval: 10,
  sessionTimeoutMs: 4000,
  seed: 101,
} as TestSpec;

/** A runner whose verdict is a function of the spec (and of how often it was called). */
function fakeRunner(invalid: (s: TestSpec, call: number) => boolean) {
  const calls: TestSpec[] = [];
  const run: ShrinkRunner = (raw) => {
    const s = raw as TestSpec;
    calls.push(s);
    return Promise.resolve({
      dir: `/runs/${calls.length}`,
      results: { valid: !invalid(s, calls.length), checkers: {}, stats: {} },
    } as unknown as RunOutcome);
  };
  return { run, calls };
}

describe("shrink", () => {
  it("keeps, dimension by dimension, the smallest candidate that still fails", async () => {
    // Fails only with client-pause, at least 2 clients and 15 s; fault count and interval do not matter.
    const { run, calls } = fakeRunner(
      (s) => s.nemesis.join(",").includes("client-pause") && s.clients >= 2 && s.timeLimit >= 15,
    );
    const r = await shrink({ spec, target: "invalid", tries: 1, confirm: 2, run });
    expect(r.smallest).toEqual({
      nemesis: ["client-pause"],
      faults: 1,
      timeLimit: 15, // one fault at 3 s, held its 10-s interval
      clients: 2,
      nemesisInterval: 2,
      sessionTimeoutMs: 4000,
    });
    expect(r.confirm.verdicts).toEqual(["invalid", "invalid"]);
    expect(r.reproDir).not.toBeNull();
    // partition alone was tried and did not fail; nothing the search ruled out is run twice
    expect(r.steps.find((s) => s.change === "nemesis=partition")?.reproduced).toBe(false);
    const keys = r.steps.map((s) => JSON.stringify(s.spec));
    expect(new Set(keys).size).toBe(keys.length);
    // every run kept the seed and the rest of the spec
    for (const c of calls) expect(c).toMatchObject({ seed: 101, workload: "lock", variant: "naive" });
  });

  it("a candidate counts as reproduced if any of its tries fails, and says which tries did", async () => {
    // Every other run fails: each candidate needs its second try.
    const { run } = fakeRunner((_, call) => call % 2 === 0);
    const r = await shrink({ spec, target: "invalid", tries: 2, confirm: 4, run });
    const first = r.steps[0]!;
    expect(first.verdicts).toEqual(["valid", "invalid"]);
    expect(first.reproduced).toBe(true);
    expect(r.confirm.verdicts.filter((v) => v === "invalid")).toHaveLength(2);
  });

  it("nothing smaller reproduces: the original spec is the smallest", async () => {
    const { run } = fakeRunner(
      (s) =>
        s.clients === 5 &&
        s.timeLimit === 60 &&
        s.nemesis.length === 2 &&
        s.faults === undefined &&
        s.nemesisInterval === 10,
    );
    const r = await shrink({ spec, target: "invalid", tries: 1, confirm: 1, run });
    expect(r.smallest).toEqual(r.original);
    expect(r.steps.every((s) => !s.reproduced)).toBe(true);
    expect(r.confirm.verdicts).toEqual(["invalid"]);
  });

  it("an abort stops it between runs", async () => {
    const ac = new AbortController();
    const { run, calls } = fakeRunner(() => {
      ac.abort();
      return true;
    });
    await shrink({ spec, target: "invalid", tries: 1, confirm: 3, run, signal: ac.signal });
    expect(calls).toHaveLength(1);
  });
});

describe("candidates", () => {
  const s: ShrinkSpec = {
    nemesis: ["partition+client-pause:duration=8s"],
    timeLimit: 60,
    clients: 5,
    nemesisInterval: 10,
    sessionTimeoutMs: 4000,
  };
  const of = (name: string, x = s) => DIMENSIONS.find((d) => d.name === name)!.candidates(x);

  it("drops one part of a composed entry at a time, options kept", () => {
    expect(of("faults kept").map((c) => c.nemesis)).toEqual([["client-pause:duration=8s"], ["partition"]]);
    expect(of("faults kept", { ...s, nemesis: ["kill"] })).toEqual([]);
  });

  it("counts faults, time, clients and interval down from below the current value, smallest first", () => {
    expect(faultCapacity(s)).toBe(3); // at 3 s, 23 s, 43 s
    expect(of("fault count").map((c) => c.faults)).toEqual([1, 2]);
    expect(of("time limit").map((c) => c.timeLimit)).toEqual([10, 15, 20, 30, 45]);
    // with one fault kept the run must last its start and its hold
    expect(of("time limit", { ...s, faults: 1 }).map((c) => c.timeLimit)).toEqual([15, 20, 30, 45]);
    expect(of("time limit", { ...s, faults: 2 }).map((c) => c.timeLimit)).toEqual([45]);
    expect(of("clients").map((c) => c.clients)).toEqual([2, 3, 4]);
    expect(of("fault interval").map((c) => c.nemesisInterval)).toEqual([3, 5]);
  });
});
