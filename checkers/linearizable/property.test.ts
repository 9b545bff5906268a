/**
 * Property tests: a history made from a random sequential execution (a cas-register; a kv store), stretched
 * into random overlapping real-time intervals around each op's linearization point, is linearizable; making
 * one read return a value nobody could have seen makes it not linearizable.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Op, OpType } from "../../kernel/op.ts";
import { sameValue } from "../values.ts";
import { checkLinearizable } from "./linearizable.ts";
import { casRegister } from "./models/cas-register.ts";
import { kv } from "./models/kv.ts";

type Half = Pick<Op, "type" | "f" | "value"> & Record<string, unknown>;

/** One op of the sequential execution: what its invoke and completion say, and how far they stretch. */
interface Executed {
  invoke: Half;
  completion: Half;
  before: number; // how far the invoke precedes the linearization point
  after: number; // how far the completion follows it
}

const timing = {
  before: fc.double({ min: 0, max: 4, noNaN: true }),
  after: fc.double({ min: 0, max: 4, noNaN: true }),
};

/**
 * Op i takes effect at time i; its invoke and completion are spread around that point. Processes are
 * single-threaded (one is reused only after its last op returned) and an info retires its process.
 */
function stretch(ops: Executed[]): Op[] {
  const free: { process: number; until: number }[] = [];
  let nextProcess = 0;
  const timed: { t: number; tie: number; op: Omit<Op, "index" | "time"> }[] = [];
  ops
    .map((o, i) => ({ o, i, call: i - o.before, ret: i + o.after }))
    .sort((x, y) => x.call - y.call)
    .forEach(({ o, i, call, ret }) => {
      const k = free.findIndex((f) => f.until < call);
      const process = k >= 0 ? free.splice(k, 1)[0]!.process : nextProcess++;
      timed.push({ t: call, tie: 2 * i, op: { ...o.invoke, process } });
      timed.push({ t: ret, tie: 2 * i + 1, op: { ...o.completion, process } });
      if (o.completion.type !== "info") free.push({ process, until: ret });
    });
  return timed
    .sort((x, y) => x.t - y.t || x.tie - y.tie)
    .map((e, index) => ({ ...e.op, index, time: Math.round(e.t * 1e6) }) as Op);
}

const casOp = fc.record({
  kind: fc.constantFrom("read", "write", "cas"),
  a: fc.integer({ min: 0, max: 3 }),
  b: fc.integer({ min: 0, max: 3 }),
  info: fc.boolean(),
  ...timing,
});

/** Run cas-register ops sequentially; a cas that does not match is a fail (did not happen). */
function casHistory(
  specs: { kind: string; a: number; b: number; info: boolean; before: number; after: number }[],
): Op[] {
  let reg: unknown = null;
  return stretch(
    specs.map((s) => {
      let inv: unknown = null;
      let out: unknown;
      let type: OpType = "ok";
      if (s.kind === "read") out = reg;
      else if (s.kind === "write") inv = out = reg = s.a;
      else {
        inv = out = [s.a, s.b];
        if (sameValue(reg, s.a)) reg = s.b;
        else type = "fail";
      }
      if (s.info && type === "ok") type = "info";
      return {
        invoke: { type: "invoke", f: s.kind, value: inv },
        completion: { type, f: s.kind, value: out },
        before: s.before,
        after: s.after,
      };
    }),
  );
}

const kvOp = fc.record({
  f: fc.constantFrom("get", "get", "append", "append", "put"),
  key: fc.constantFrom("a", "b"),
  info: fc.boolean(),
  ...timing,
});

/** Run kv ops sequentially; appended and put values are unique, so reads pin the order. */
function kvHistory(specs: { f: string; key: string; info: boolean; before: number; after: number }[]): Op[] {
  const store = new Map<string, string>();
  return stretch(
    specs.map((s, i) => {
      const v = s.f === "get" ? null : `<${i}>`;
      let out: unknown = v;
      if (s.f === "get") out = store.get(s.key) ?? "";
      else if (s.f === "put") store.set(s.key, v!);
      else store.set(s.key, (store.get(s.key) ?? "") + v);
      return {
        invoke: { type: "invoke", f: s.f, key: s.key, value: v },
        completion: { type: s.info && s.f !== "get" ? "info" : "ok", f: s.f, key: s.key, value: out },
        before: s.before,
        after: s.after,
      };
    }),
  );
}

describe("cas-register properties", () => {
  it("a stretched sequential execution is linearizable", () => {
    fc.assert(
      fc.property(fc.array(casOp, { minLength: 1, maxLength: 40 }), (specs) => {
        expect(checkLinearizable(casHistory(specs), casRegister(), { timeoutMs: 10_000 }).valid).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("a read of a value nobody wrote makes it not linearizable", () => {
    fc.assert(
      fc.property(fc.array(casOp, { minLength: 1, maxLength: 40 }), fc.nat(), (specs, pick) => {
        const h = casHistory(specs);
        const reads = h.filter((op) => op.type === "ok" && op.f === "read");
        fc.pre(reads.length > 0);
        const target = reads[pick % reads.length]!;
        const r = checkLinearizable(
          h.map((op) => (op === target ? { ...op, value: 99 } : op)),
          casRegister(),
          { timeoutMs: 10_000 },
        );
        expect(r.valid).toBe(false);
        expect(r.evidence).toBeDefined();
      }),
      { numRuns: 200 },
    );
  });
});

describe("kv properties (read lookahead, partitioned and not)", () => {
  it("a stretched sequential execution is linearizable", () => {
    fc.assert(
      fc.property(fc.array(kvOp, { minLength: 1, maxLength: 40 }), fc.boolean(), (specs, partition) => {
        expect(checkLinearizable(kvHistory(specs), kv(), { timeoutMs: 10_000, partition }).valid).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("a get of a value nobody built makes it not linearizable", () => {
    fc.assert(
      fc.property(
        fc.array(kvOp, { minLength: 1, maxLength: 40 }),
        fc.nat(),
        fc.boolean(),
        (specs, pick, partition) => {
          const h = kvHistory(specs);
          const gets = h.filter((op) => op.type === "ok" && op.f === "get");
          fc.pre(gets.length > 0);
          const target = gets[pick % gets.length]!;
          const r = checkLinearizable(
            h.map((op) => (op === target ? { ...op, value: `${String(op.value)}<x>` } : op)),
            kv(),
            { timeoutMs: 10_000, partition },
          );
          expect(r.valid).toBe(false);
          expect(r.evidence).toBeDefined();
        },
      ),
      { numRuns: 300 },
    );
  });
});
