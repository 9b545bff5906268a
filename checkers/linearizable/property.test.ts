/**
 * Property tests: a history made from a random sequential cas-register execution, stretched into random
 * overlapping real-time intervals around each op's linearization point, is linearizable; making one read
 * return a value nobody wrote makes it not linearizable.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Op, OpType } from "../../harness/history/op.ts";
import { sameValue } from "../values.ts";
import { checkLinearizable } from "./linearizable.ts";
import { casRegister } from "./models/cas-register.ts";

interface Spec {
  kind: "read" | "write" | "cas";
  a: number;
  b: number;
  before: number; // how far the invoke precedes the linearization point
  after: number; // how far the completion follows it
  info: boolean;
}

const spec = fc.record({
  kind: fc.constantFrom("read", "write", "cas") as fc.Arbitrary<Spec["kind"]>,
  a: fc.integer({ min: 0, max: 3 }),
  b: fc.integer({ min: 0, max: 3 }),
  before: fc.double({ min: 0, max: 4, noNaN: true }),
  after: fc.double({ min: 0, max: 4, noNaN: true }),
  info: fc.boolean(),
});

/** Run the specs sequentially (op i takes effect at time i) and build the history. */
function build(specs: Spec[]): Op[] {
  let reg: unknown = null;
  const intervals: {
    call: number;
    ret: number;
    ops: [Omit<Op, "index" | "time" | "process">, Omit<Op, "index" | "time" | "process">];
  }[] = [];
  specs.forEach((s, i) => {
    let inv: unknown = null;
    let out: unknown;
    let type: OpType = "ok";
    if (s.kind === "read") out = reg;
    else if (s.kind === "write") {
      inv = out = s.a;
      reg = s.a;
    } else {
      inv = out = [s.a, s.b];
      if (sameValue(reg, s.a)) reg = s.b;
      else type = "fail"; // a cas that did not match did not happen
    }
    if (s.info && type === "ok") type = "info";
    intervals.push({
      call: i - s.before,
      ret: i + s.after,
      ops: [
        { type: "invoke", f: s.kind, value: inv },
        { type, f: s.kind, value: out },
      ],
    });
  });
  // single-threaded processes: reuse one whose last op returned before this call; info retires a process
  const free: { process: number; until: number }[] = [];
  let nextProcess = 0;
  const timed: { t: number; tie: number; op: Omit<Op, "index" | "time"> }[] = [];
  intervals
    .map((iv, i) => ({ iv, i }))
    .sort((x, y) => x.iv.call - y.iv.call)
    .forEach(({ iv, i }) => {
      const k = free.findIndex((f) => f.until < iv.call);
      const process = k >= 0 ? free.splice(k, 1)[0]!.process : nextProcess++;
      timed.push({ t: iv.call, tie: 2 * i, op: { ...iv.ops[0], process } });
      timed.push({ t: iv.ret, tie: 2 * i + 1, op: { ...iv.ops[1], process } });
      if (iv.ops[1].type !== "info") free.push({ process, until: iv.ret });
    });
  return timed
    .sort((x, y) => x.t - y.t || x.tie - y.tie)
    .map((e, index) => ({ ...e.op, index, time: Math.round(e.t * 1e6) }) as Op);
}

describe("cas-register properties", () => {
  it("a stretched sequential execution is linearizable", () => {
    fc.assert(
      fc.property(fc.array(spec, { minLength: 1, maxLength: 40 }), (specs) => {
        const h = build(specs);
        expect(checkLinearizable(h, casRegister(), { timeoutMs: 10_000 }).valid).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("a read of a value nobody wrote makes it not linearizable", () => {
    fc.assert(
      fc.property(fc.array(spec, { minLength: 1, maxLength: 40 }), fc.nat(), (specs, pick) => {
        const h = build(specs);
        const reads = h.filter((op) => op.type === "ok" && op.f === "read");
        fc.pre(reads.length > 0);
        const target = reads[pick % reads.length]!;
        const flipped = h.map((op) => (op === target ? { ...op, value: 99 } : op));
        const r = checkLinearizable(flipped, casRegister(), { timeoutMs: 10_000 });
        expect(r.valid).toBe(false);
        expect(r.evidence).toBeDefined();
      }),
      { numRuns: 200 },
    );
  });
});
