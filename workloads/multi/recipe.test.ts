import { describe, expect, it } from "vitest";
import { checkLinearizable } from "../../checkers/linearizable/linearizable.ts";
import { multiRegister } from "../../checkers/linearizable/models/multi-register.ts";
import { Random } from "../../kernel/random.ts";
import {
  FakeEnsemble,
  FakeWorker,
  fakeResourceServer,
  Recorder,
  resourceClient,
} from "../zk/testing/fake-zk.ts";
import multiClient from "./client.ts";
import { keyPath, MULTI_KEYS, multiWorkload, readAll, READ_ONLY_SHARE, type MicroOp } from "./index.ts";

const txn = (...ms: MicroOp[]) => ({ f: "txn", value: ms });

describe("multi workload", () => {
  it("makes txns of distinct keys, reads first, every written value unique; the same for the same seed", () => {
    const a = new Random(4);
    const b = new Random(4);
    const ops = Array.from({ length: 3000 }, (_, n) => multiWorkload.nextOp(a, n));
    expect(ops).toEqual(Array.from({ length: 3000 }, (_, n) => multiWorkload.nextOp(b, n)));
    const written: number[] = [];
    let readOnly = 0;
    for (const op of ops) {
      expect(op.f).toBe("txn");
      const ms = op.value as MicroOp[];
      const keys = ms.map((m) => m[1]);
      expect(new Set(keys).size).toBe(keys.length);
      for (const k of keys) expect(MULTI_KEYS).toContain(k);
      const firstWrite = ms.findIndex((m) => m[0] === "w");
      if (firstWrite >= 0) expect(ms.slice(firstWrite).every((m) => m[0] === "w")).toBe(true);
      else readOnly++;
      for (const m of ms)
        if (m[0] === "w") written.push(m[2]!);
        else expect(m[2]).toBeNull();
    }
    expect(new Set(written).size).toBe(written.length);
    expect(readOnly / ops.length).toBeGreaterThan(READ_ONLY_SHARE / 2);
    expect(readOnly / ops.length).toBeLessThan(READ_ONLY_SHARE * 1.5);
    // some txns read and write
    expect(
      ops.some(
        (o) =>
          (o.value as MicroOp[]).some((m) => m[0] === "r") &&
          (o.value as MicroOp[]).some((m) => m[0] === "w"),
      ),
    ).toBe(true);
  });

  it("atomic needs multi; both variants are judged as a multi-register; the final phase reads every key", () => {
    expect(multiWorkload.variants).toEqual(["atomic", "separate"]);
    expect(multiWorkload.fixedVariants).toEqual(["atomic"]);
    expect(multiWorkload.variants.map((v) => multiWorkload.needsMulti?.(v))).toEqual([true, false]);
    for (const v of multiWorkload.variants)
      expect(multiWorkload.checkers(v, []).map((c) => [c.name, (c as { model?: string }).model])).toEqual([
        ["linearizable", "multi-register"],
        ["after-heal", undefined],
      ]);
    expect(multiWorkload.finalOps?.(0, 3)).toEqual([readAll()]);
  });
});

function setup(variant: string, clients = 2) {
  const ensemble = new FakeEnsemble();
  const server = fakeResourceServer();
  const workers = Array.from(
    { length: clients },
    (_, slot) =>
      new FakeWorker(ensemble, slot, resourceClient(server), variant, multiClient(variant), {
        multi: multiWorkload.needsMulti!(variant),
      }),
  );
  const rec = new Recorder(clients);
  const valid = () => checkLinearizable(rec.history, multiRegister()).valid;
  const data = (k: string) => ensemble.nodes.get(keyPath(k))?.data.toString("utf8");
  return { ensemble, workers, rec, valid, data, init: () => workers[0]!.client.setup!(workers[0]!.ctx) };
}

describe("multi recipe on a fake ensemble", () => {
  it("atomic: commits reads and writes at once; a read gone stale before the multi fails the txn", async () => {
    const { ensemble, workers, rec, valid, data, init } = setup("atomic");
    await init();
    const [a, b] = workers as [FakeWorker, FakeWorker];
    expect(await rec.run(a, readAll())).toMatchObject({
      type: "ok",
      value: MULTI_KEYS.map((k) => ["r", k, null]),
    });
    expect(await rec.run(a, txn(["w", "x", 1], ["w", "y", 2]))).toMatchObject({ type: "ok" });
    expect(await rec.run(a, txn(["r", "x", null], ["w", "z", 3]))).toMatchObject({
      type: "ok",
      value: [
        ["r", "x", 1],
        ["w", "z", 3],
      ],
    });
    // b writes x between a's getData and a's multi: a's check fails, nothing of a's txn applies
    ensemble.fail({
      op: "multi",
      path: keyPath("x"),
      applied: false,
      lose: false,
      meanwhile: async () => void (await rec.run(b, txn(["w", "x", 4]))),
    });
    expect(await rec.run(a, txn(["r", "x", null], ["w", "y", 5]))).toMatchObject({
      type: "fail",
      error: "BADVERSION",
    });
    expect(data("y")).toBe("2");
    // a snapshot whose validation is refused the same way fails too
    ensemble.fail({
      op: "multi",
      path: keyPath("x"),
      applied: false,
      lose: false,
      meanwhile: async () => void (await rec.run(b, txn(["w", "x", 6], ["w", "z", 7]))),
    });
    expect(await rec.run(a, readAll())).toMatchObject({ type: "fail", error: "BADVERSION" });
    expect(await rec.run(a, readAll())).toMatchObject({
      type: "ok",
      value: [
        ["r", "x", 6],
        ["r", "y", 2],
        ["r", "z", 7],
      ],
    });
    expect(valid()).toBe(true);
  });

  it("atomic: a lost reply to a write multi is info (it committed); to a snapshot's checks, fail", async () => {
    const { ensemble, workers, rec, valid, init } = setup("atomic");
    await init();
    const [a, b] = workers as [FakeWorker, FakeWorker];
    ensemble.fail({ op: "multi", path: keyPath("x"), applied: true });
    expect(await rec.run(a, txn(["w", "x", 1], ["w", "y", 2]))).toMatchObject({
      type: "info",
      error: "CONNECTIONLOSS",
    });
    ensemble.fail({ op: "multi", path: keyPath("x"), applied: true });
    expect(await rec.run(b, readAll())).toMatchObject({ type: "fail", error: "CONNECTIONLOSS" });
    expect(await rec.run(b, readAll())).toMatchObject({
      type: "ok",
      value: [
        ["r", "x", 1],
        ["r", "y", 2],
        ["r", "z", null],
      ],
    });
    expect(a.process).toBe(2); // the info retired a's process
    expect(valid()).toBe(true);
  });

  it("separate: a snapshot read across another txn's writes is caught", async () => {
    const { ensemble, workers, rec, valid, init } = setup("separate");
    await init();
    const [a, b] = workers as [FakeWorker, FakeWorker];
    // b's txn lands between a's reads of x and y: a sees x before it and y after it
    ensemble.fail({
      op: "getData",
      path: keyPath("y"),
      applied: false,
      lose: false,
      meanwhile: async () => void (await rec.run(b, txn(["w", "x", 1], ["w", "y", 2]))),
    });
    expect(await rec.run(a, readAll())).toMatchObject({
      type: "ok",
      value: [
        ["r", "x", null],
        ["r", "y", 2],
        ["r", "z", null],
      ],
    });
    expect(valid()).toBe(false);
  });

  it("separate: a write cut in half by a lost connection shows in a later snapshot", async () => {
    const { ensemble, workers, rec, valid, init } = setup("separate");
    await init();
    const [a, b] = workers as [FakeWorker, FakeWorker];
    ensemble.fail({ op: "setData", path: keyPath("y"), applied: false });
    expect(await rec.run(a, txn(["w", "x", 1], ["w", "y", 2]))).toMatchObject({
      type: "info",
      error: "CONNECTIONLOSS",
    });
    // a read that fails before any write certainly did nothing
    ensemble.fail({ op: "getData", path: keyPath("x"), applied: false });
    expect(await rec.run(b, txn(["r", "x", null], ["w", "z", 3]))).toMatchObject({ type: "fail" });
    expect(await rec.run(b, readAll())).toMatchObject({
      type: "ok",
      value: [
        ["r", "x", 1],
        ["r", "y", null],
        ["r", "z", null],
      ],
    });
    expect(valid()).toBe(false);
  });

  it("refuses what is not one of its txns, and starts a new session after an expiry", async () => {
    const { workers, rec, init } = setup("atomic");
    await init();
    const [a] = workers as [FakeWorker];
    expect(await rec.run(a, { f: "txn", value: [["w", "q", 1]] })).toMatchObject({ type: "fail" });
    expect(await rec.run(a, { f: "read", value: null })).toMatchObject({ type: "fail" });
    const old = a.zk.sessionId;
    a.zk.expire();
    expect(await rec.run(a, readAll())).toMatchObject({ type: "ok" });
    expect(a.zk.sessionId).not.toBe(old);
  });
});
