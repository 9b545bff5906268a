import { describe, expect, it } from "vitest";
import { BadInputError } from "../kernel/errors.ts";
import {
  defineWorkload,
  findDefined,
  isDefinedWorkload,
  type WorkloadDefinition,
} from "./define-workload.ts";
import type { WorkerContext } from "./workload.ts";
import { FakeEnsemble, FakeZk } from "./zk/testing/fake-zk.ts";

const base: WorkloadDefinition = {
  name: "mine",
  variants: ["buggy", "fixed"],
  client: () => ({ invoke: async () => ({ type: "ok" }) }),
  nextOp: (_random, n) => ({ f: "write", value: n }),
  checkers: (variant) => [{ name: "lock-safety", fenced: variant === "fixed" }, "lost-updates"],
};

const badInput = (def: unknown): string => {
  try {
    defineWorkload(def as WorkloadDefinition);
  } catch (err) {
    expect(err).toBeInstanceOf(BadInputError);
    return (err as Error).message;
  }
  throw new Error("no error");
};

describe("defineWorkload", () => {
  it("makes a Workload: fencing from the checkers, checkers by name over the resource log", () => {
    const w = defineWorkload(base);
    expect(isDefinedWorkload(w)).toBe(true);
    expect(w.clientModule).toMatch(/^file:\/\/.*\/workloads\/define-workload\.test\.ts#mine$/);
    expect(w.variants).toEqual(["buggy", "fixed"]);
    expect(w.fencedResource?.("buggy")).toBe(false);
    expect(w.fencedResource?.("fixed")).toBe(true);
    expect(w.reads.size).toBe(0);
    expect(w.finalOps).toBeUndefined();
    const [lock, lost] = w.checkers("fixed", [
      { seq: 0, time: 1, holder: "a", op: "enter", accepted: true, applied: false, token: 5, key: "k" },
      { seq: 1, time: 2, holder: "b", op: "enter", accepted: true, applied: false, token: 4, key: "k" },
    ]);
    expect(lock!.name).toBe("lock-safety");
    expect(lost!.name).toBe("lost-updates");
    expect(lock!.check([])).toMatchObject({ valid: false, tokenRegressionCount: 1 });
  });

  it("takes one list for every variant, Checker objects, an explicit module and fencing", () => {
    const own = { name: "mine", check: () => ({ valid: true as const }) };
    const w = defineWorkload({
      ...base,
      checkers: [{ name: "linearizable", model: "cas-register" }, own],
      fencedResource: (v) => v === "buggy",
      module: "file:///somewhere/recipe.js?x=1",
      reads: ["read"],
    });
    expect(w.clientModule).toBe("file:///somewhere/recipe.js#mine");
    expect(w.checkers("fixed", []).map((c) => c.name)).toEqual(["linearizable", "mine"]);
    expect(w.fencedResource?.("buggy")).toBe(true);
    expect([...w.reads]).toEqual(["read"]);
    expect(w.defaultNemesis).toBeUndefined();
    expect(defineWorkload({ ...base, defaultNemesis: "client-pause" }).defaultNemesis).toBe("client-pause");
  });

  it("naming after-heal adds its probe: a final op after the recipe's own, answered by listing the znodes", async () => {
    const seen: string[] = [];
    const w = defineWorkload({
      ...base,
      client: () => ({
        invoke: async (_ctx, op) => {
          seen.push(op.f);
          return { type: "ok" };
        },
      }),
      finalOps: () => [{ f: "write", value: "last" }],
      checkers: (variant) =>
        variant === "fixed"
          ? [{ name: "after-heal", progress: ["write"], ephemerals: ["/mine"], boundMs: 20_000 }]
          : ["lock-safety"],
    });
    expect(w.finalOps!(0, 2)).toEqual([
      { f: "write", value: "last" },
      { f: "ephemerals", value: null },
    ]);
    expect([...w.reads]).toEqual(["ephemerals"]);
    expect(w.checkers("fixed", []).map((c) => c.name)).toEqual(["after-heal"]);
    const ensemble = new FakeEnsemble();
    const zk = new FakeZk(ensemble);
    await zk.create("/mine", null, "persistent");
    await zk.create("/mine/held", null, "ephemeral");
    const ctx = { zk, sessionTimeoutMs: 0 } as unknown as WorkerContext;
    const client = w.client("fixed", {});
    expect(await client.invoke(ctx, { f: "write", value: 1 })).toEqual({ type: "ok" });
    const probed = await client.invoke(ctx, { f: "ephemerals", value: null });
    expect(probed).toMatchObject({
      type: "ok",
      value: {
        roots: ["/mine"],
        nodes: [
          { path: "/mine", owner: null },
          { path: "/mine/held", owner: zk.sessionId },
        ],
      },
    });
    expect(seen).toEqual(["write"]);
    // A variant that does not name it lists nothing; a recipe that names it nowhere gets no probe.
    expect(await w.client("buggy", {}).invoke(ctx, { f: "ephemerals", value: null })).toMatchObject({
      value: { roots: [], nodes: [] },
    });
    expect(defineWorkload(base).finalOps).toBeUndefined();
  });

  it("a linearizable checker's init option is its model's initial state", () => {
    const w = defineWorkload({
      ...base,
      checkers: [{ name: "linearizable", model: "multi-register", init: { x: 0, y: 0 } }],
    });
    const txn = [
      { index: 0, time: 0, process: 0, type: "invoke" as const, f: "txn", value: [["r", "x", null]] },
      { index: 1, time: 1, process: 0, type: "ok" as const, f: "txn", value: [["r", "x", 0]] },
    ];
    const [lin] = w.checkers("fixed", []);
    expect(lin!.check(txn)).toMatchObject({ valid: true, model: "multi-register" });
    const [bare] = defineWorkload({
      ...base,
      checkers: [{ name: "linearizable", model: "multi-register" }],
    }).checkers("fixed", []);
    expect(bare!.check(txn)).toMatchObject({ valid: false });
  });

  it("finds a defined workload among a module's exports by name", () => {
    const w = defineWorkload(base);
    expect(findDefined({ default: 1, other: w }, "mine")).toBe(w);
    expect(findDefined({ other: w }, "yours")).toBeUndefined();
  });

  it.each([
    [null, /defineWorkload needs an object/],
    [{ ...base, checker: [] }, /unknown field 'checker' \(fields: name, variants,/],
    [{ ...base, name: "a b" }, /missing or bad 'name'/],
    [{ ...base, variants: [] }, /workload mine: 'variants' must be a non-empty list/],
    [{ ...base, variants: ["a", "a"] }, /'variants' has duplicates/],
    [{ ...base, client: undefined }, /missing 'client'/],
    [{ ...base, client: {} }, /'client' must be a function, got object/],
    [{ ...base, nextOp: undefined }, /missing 'nextOp'/],
    [{ ...base, checkers: undefined }, /missing 'checkers'/],
    [{ ...base, checkers: () => "lock-safety" }, /checkers\('buggy'\) must return a list/],
    [{ ...base, checkers: ["lock"] }, /unknown checker 'lock' \(known: lock-safety, leader-safety,/],
    [
      { ...base, checkers: [{ name: "lock-safety", fence: true }] },
      /checker lock-safety has no option 'fence'/,
    ],
    [{ ...base, checkers: [{ name: "linearizable" }] }, /checker linearizable needs option 'model'/],
    [{ ...base, checkers: [{ name: "linearizable", model: "queue" }] }, /unknown model 'queue' \(models:/],
    [
      { ...base, checkers: [{ name: "linearizable", model: "multi-register", init: 0 }] },
      /checker linearizable: option init: the initial state of multi-register must be an object of key → value/,
    ],
    [
      { ...base, checkers: [{ name: "linearizable", model: "register", init: () => 0 }] },
      /checker linearizable: option init must be JSON data/,
    ],
    [
      { ...base, checkers: [{ name: "duplicate-writes", fs: "emit" }] },
      /option fs must be a list of strings/,
    ],
    [{ ...base, checkers: ["total-queue", "total-queue"] }, /checker total-queue is listed twice/],
    [
      { ...base, checkers: [{ name: "after-heal", ephemerals: ["lock"] }] },
      /checker after-heal: option ephemerals must be a list of absolute znode paths, got \["lock"\]/,
    ],
    [
      { ...base, checkers: [{ name: "after-heal", boundMs: -1 }] },
      /checker after-heal: option boundMs must be a positive number/,
    ],
    [
      { ...base, checkers: [{ name: "after-heal", bound: 5 }] },
      /checker after-heal has no option 'bound' \(options: progress, drained, ephemerals, boundMs\)/,
    ],
    [{ ...base, checkers: [42] }, /a checker must be a name, \{ name, \.\.\.options \} or a Checker, got 42/],
    [{ ...base, reads: "read" }, /'reads' must be a list of op names/],
    [{ ...base, defaultNemesis: ["kill"] }, /'defaultNemesis' must be a --nemesis text/],
    [{ ...base, module: "relative.js" }, /'module' must be import\.meta\.url or an absolute path/],
  ])("rejects a bad definition (%#) with one line", (def, message) => {
    const msg = badInput(def);
    expect(msg).toMatch(message);
    expect(msg).not.toContain("\n");
  });
});
