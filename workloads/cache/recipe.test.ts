import { describe, expect, it } from "vitest";
import { checkCacheConvergence } from "../../checkers/cache/cache-convergence.ts";
import { checkCacheOrder } from "../../checkers/cache/cache-order.ts";
import { checkMissedUpdates } from "../../checkers/cache/missed-updates.ts";
import type { Op } from "../../kernel/op.ts";
import { Random } from "../../kernel/random.ts";
import type { OpRequest, WorkerContext } from "../workload.ts";
import { FakeEnsemble, FakeWorker, fakeResourceServer, resourceClient } from "../zk/testing/fake-zk.ts";
import cacheClient from "./client.ts";
import { CACHE_KEYS, CACHE_ROOT, cacheOp, cacheWorkload } from "./index.ts";

const SESSION_MS = 50; // the copy's bound is twice this
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Workers on one fake ensemble with one clock; a history recorded as the runner does. */
async function setUp(variant: string, workers = 2) {
  const ensemble = new FakeEnsemble();
  const origin = process.hrtime.bigint();
  const now = () => Number(process.hrtime.bigint() - origin);
  const resource = resourceClient(fakeResourceServer());
  const ws = Array.from({ length: workers }, (_, i) => {
    const w = new FakeWorker(ensemble, i, resource, variant, cacheClient(variant), { now });
    const ctx: WorkerContext = Object.create(w.ctx, { sessionTimeoutMs: { value: SESSION_MS } });
    return { w, ctx };
  });
  await ws[0]!.w.client.setup!(ws[0]!.ctx);
  const history: Op[] = [];
  const run = async (i: number, op: OpRequest): Promise<Op> => {
    const { w, ctx } = ws[i]!;
    if (w.zk.state === "expired") await w.ctx.reconnect(); // as the worker process does
    const process = w.process;
    history.push({ index: history.length, time: now(), type: "invoke", process, f: op.f, value: op.value });
    const out = await w.client.invoke(ctx, op);
    const done: Op = {
      index: history.length,
      time: now(),
      type: out.type,
      process,
      f: op.f,
      value: out.value ?? op.value,
      ...(out.error ? { error: out.error } : {}),
    };
    history.push(done);
    if (out.type === "info") w.process += workers;
    return done;
  };
  return { ensemble, ws, run, history };
}

const put = (key: string, value: number): OpRequest => ({ f: "put", value: { key, value } });
const read: OpRequest = { f: "read", value: null };
const final: OpRequest = { f: "final", value: null };

/** Client 0 caches; client 1 writes while client 0's session expires unnoticed (a paused process). */
async function expiryScenario(variant: string) {
  const s = await setUp(variant);
  await s.run(1, put("k00", 1));
  await s.run(1, put("k01", 2));
  expect((await s.run(0, read)).type).toBe("ok");
  s.ws[0]!.w.zk.expireSilently();
  await s.run(1, put("k01", 3));
  await s.run(1, put("k02", 4));
  await s.run(1, { f: "delete", value: { key: "k00" } });
  await sleep(3 * SESSION_MS);
  expect((await s.run(0, read)).type).toBe("fail"); // the client learns of the expiry
  await s.run(0, read); // a new session
  await sleep(3 * SESSION_MS);
  await s.run(0, read);
  await s.run(0, final);
  await s.run(1, final);
  return s;
}

describe("cache generator", () => {
  it("is deterministic, mixes reads, puts and deletes, and writes hot keys far more than cold ones", () => {
    const gen = (seed: number) =>
      Array.from({ length: 4000 }, (_, n) => cacheOp(new Random(seed).fork(`${n}`), n));
    const ops = gen(5);
    expect(gen(5)).toEqual(ops);
    const fs = (f: string) => ops.filter((o) => o.f === f).length;
    expect(fs("read")).toBeGreaterThan(2000);
    expect(fs("put")).toBeGreaterThan(800);
    expect(fs("delete")).toBeGreaterThan(100);
    const byKey = (k: string) => ops.filter((o) => (o.value as { key?: string } | null)?.key === k).length;
    expect(byKey("k00")).toBeGreaterThan(20 * byKey("k10"));
    expect(byKey("k10")).toBeGreaterThan(0);
  });

  it("declares its variants (buggy first), reads, final ops per slot and its checkers (after-heal too)", () => {
    expect(cacheWorkload.variants).toEqual(["naive", "resync"]);
    expect(cacheWorkload.fixedVariants).toEqual(["resync"]);
    // Its clients own no ephemeral node: no probe to wait for.
    expect([...cacheWorkload.reads]).toEqual(["read", "final"]);
    expect(cacheWorkload.finalOps!(0, 3)).toEqual([final]);
    expect(cacheWorkload.checkers("naive", []).map((c) => c.name)).toEqual([
      "cache-order",
      "missed-updates",
      "cache-convergence",
      "after-heal",
    ]);
    expect(CACHE_KEYS).toHaveLength(20);
  });
});

describe("cache recipe on a fake ensemble", () => {
  it("a connected copy follows every write through its watches, with the zxids of each write", async () => {
    const s = await setUp("naive");
    await s.run(0, read);
    const w = await s.run(1, put("k03", 7));
    expect(w.value).toMatchObject({ slot: 1, key: "k03", created: true, czxid: expect.any(Number) });
    const r = await s.run(0, read);
    const v = r.value as { copy: Record<string, unknown>; journal: { e: string }[] };
    expect(Object.keys(v.copy)).toEqual(["k03"]);
    expect(v.journal.map((e) => e.e)).toEqual(expect.arrayContaining(["event", "children", "data"]));
    await s.run(1, put("k03", 8));
    await s.run(1, { f: "delete", value: { key: "k03" } });
    expect((await s.run(0, read)).value).toMatchObject({ copy: {} });
    expect(s.ensemble.children(CACHE_ROOT)).toEqual([]);
  });

  it("naive: after a new session it misses what changed meanwhile; every checker but cache-order says so", async () => {
    const { history } = await expiryScenario("naive");
    expect(checkCacheOrder(history).valid).toBe(true);
    const missed = checkMissedUpdates(history);
    expect(missed).toMatchObject({ valid: false, neverLearnedCount: expect.any(Number) });
    const keys = (missed.missed as { key: string; slot: number; learnedAt: unknown }[])
      .map((m) => m.key)
      .sort();
    expect(keys).toEqual(["k00", "k01", "k02"]);
    const conv = checkCacheConvergence(history);
    expect(conv).toMatchObject({ valid: false, convergedClients: 1 });
    expect((conv.diverged as { slot: number }[]).every((d) => d.slot === 0)).toBe(true);
  });

  it("resync: re-reads on the new session; every checker valid", async () => {
    const { history } = await expiryScenario("resync");
    expect(checkCacheOrder(history).valid).toBe(true);
    expect(checkMissedUpdates(history)).toMatchObject({ valid: true, missedCount: 0 });
    expect(checkCacheConvergence(history)).toMatchObject({ valid: true, convergedClients: 2 });
  });

  it("resync: a reconnect of the same session re-reads too", async () => {
    const s = await setUp("resync");
    await s.run(0, read);
    s.ws[0]!.w.zk.disconnect();
    const before = s.ensemble.zxid;
    s.ws[0]!.w.zk.reconnect();
    await s.run(0, read);
    const j = s.history.at(-1)!.value as { journal: { e: string; state?: string }[] };
    expect(j.journal.map((e) => e.state ?? e.e)).toEqual(
      expect.arrayContaining(["disconnected", "connected", "children"]),
    );
    expect(s.ensemble.zxid).toBe(before);
  });

  it("a failed read or write still carries the journal; a lost write reply is info", async () => {
    const s = await setUp("resync");
    await s.run(0, read);
    s.ensemble.fail({ op: "setData", path: "k01", applied: true });
    await s.run(1, put("k01", 1)); // created: no setData yet
    s.ensemble.fail({ op: "setData", path: "k01", applied: true });
    const lost = await s.run(1, put("k01", 2));
    expect(lost).toMatchObject({
      type: "info",
      error: "CONNECTIONLOSS",
      value: { slot: 1, key: "k01", journal: expect.any(Array) },
    });
  });

  it("the final op waits out a lost connection and still reports the copy beside the truth", async () => {
    const s = await setUp("resync");
    await s.run(1, put("k00", 1));
    await s.run(0, read);
    s.ensemble.fail({ op: "sync", applied: false }).fail({ op: "getChildren", applied: false });
    const f = await s.run(0, final);
    expect(f, JSON.stringify(f)).toMatchObject({
      type: "ok",
      value: { converged: true, copy: { k00: expect.any(Array) } },
    });
  });
});
