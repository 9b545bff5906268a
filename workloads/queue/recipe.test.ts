import { describe, expect, it } from "vitest";
import { checkTotalQueue } from "../../checkers/total-queue.ts";
import { Random } from "../../kernel/random.ts";
import queueClient, { isOwn, protectedPrefix } from "./client.ts";
import { QUEUE_PATH, TAKEN_PATH, queueOp, queueWorkload } from "./index.ts";
import { bySequence, sequenceOf } from "./recovery.ts";
import {
  FakeEnsemble,
  FakeWorker,
  Recorder,
  fakeResourceServer,
  resourceClient,
} from "../zk/testing/fake-zk.ts";

async function setUp(variant: string, workers = 2) {
  const ensemble = new FakeEnsemble();
  const resource = fakeResourceServer();
  const ws = Array.from(
    { length: workers },
    (_, i) => new FakeWorker(ensemble, i, resourceClient(resource), variant, queueClient(variant)),
  );
  await ws[0]!.client.setup!(ws[0]!.ctx);
  return { ensemble, ws, rec: new Recorder(workers) };
}

const items = (ensemble: FakeEnsemble) => ensemble.children(QUEUE_PATH);

describe("queue generator", () => {
  it("is deterministic per seed, enqueues the unique op number, mixes enqueues and dequeues", () => {
    const gen = (seed: number) =>
      Array.from({ length: 200 }, (_, n) => queueOp(new Random(seed).fork(`${n}`), n));
    const ops = gen(3);
    expect(gen(3)).toEqual(ops);
    const enq = ops.filter((o) => o.f === "enqueue");
    expect(enq.length).toBeGreaterThan(60);
    expect(ops.filter((o) => o.f === "dequeue").length).toBeGreaterThan(60);
    expect(new Set(enq.map((o) => o.value)).size).toBe(enq.length);
    for (const [n, o] of ops.entries()) if (o.f === "enqueue") expect(o.value).toBe(n);
  });

  it("declares its variants (buggy first), no read, the drains as its final ops, and its checkers", () => {
    expect(queueWorkload.variants).toEqual(["naive", "protected"]);
    expect([...queueWorkload.reads]).toEqual([]);
    expect(queueWorkload.finalOps!(1, 3).map((o) => o.f)).toEqual(["drain", "drain"]);
    expect(queueWorkload.checkers("naive", []).map((c) => c.name)).toEqual(["total-queue", "after-heal"]);
  });
});

describe("queue names", () => {
  it("orders by ZooKeeper's sequence suffix, whatever the prefix", () => {
    expect(bySequence(["item-2-9-0000000003", "item-0000000001", "item-1-7-0000000002"])).toEqual([
      "item-0000000001",
      "item-1-7-0000000002",
      "item-2-9-0000000003",
    ]);
    expect(sequenceOf("item-0000000042")).toBe(42);
  });

  it("recognises only its own protected node", () => {
    const p = protectedPrefix(1, 5);
    expect(isOwn("item-1-5-0000000003", p)).toBe(true);
    expect(isOwn("item-1-57-0000000003", p)).toBe(false);
    expect(isOwn("item-11-5-0000000003", p)).toBe(false);
  });
});

describe("queue recipe on a fake ensemble", () => {
  it("naive: a create applied but answered with connection loss is re-issued → the element is there twice", async () => {
    const { ensemble, ws, rec } = await setUp("naive");
    ensemble.fail({ op: "create", path: QUEUE_PATH + "/item-", applied: true });
    expect((await rec.run(ws[0]!, { f: "enqueue", value: 7 })).type).toBe("ok");
    expect(items(ensemble)).toHaveLength(2);
    await rec.run(ws[1]!, { f: "drain", value: null });
    const r = checkTotalQueue(rec.history);
    expect(r).toMatchObject({ valid: false, duplicatedCount: 1, duplicated: [{ value: 7, count: 2 }] });
  });

  it("protected: after the same lost reply it finds its own node and does not create again", async () => {
    const { ensemble, ws, rec } = await setUp("protected");
    ensemble.fail({ op: "create", path: QUEUE_PATH + "/item-", applied: true });
    expect((await rec.run(ws[0]!, { f: "enqueue", value: 7 })).type).toBe("ok");
    expect(items(ensemble)).toHaveLength(1);
    await rec.run(ws[1]!, { f: "drain", value: null });
    expect(checkTotalQueue(rec.history)).toMatchObject({ valid: true, dequeuedCount: 1 });
  });

  it("protected: a create refused before it applied is retried once", async () => {
    const { ensemble, ws, rec } = await setUp("protected");
    ensemble.fail({ op: "create", path: QUEUE_PATH + "/item-", applied: false });
    expect((await rec.run(ws[0]!, { f: "enqueue", value: 1 })).type).toBe("ok");
    expect(items(ensemble)).toHaveLength(1);
  });

  it("protected: an element consumed before the producer looks is found among the taken markers", async () => {
    const { ensemble, ws, rec } = await setUp("protected");
    ensemble.fail({
      op: "create",
      path: QUEUE_PATH + "/item-",
      applied: true,
      meanwhile: async () => void (await rec.run(ws[1]!, { f: "dequeue", value: null })),
    });
    expect((await rec.run(ws[0]!, { f: "enqueue", value: 3 })).type).toBe("ok");
    expect(items(ensemble)).toHaveLength(0);
    await rec.run(ws[1]!, { f: "drain", value: null });
    expect(checkTotalQueue(rec.history)).toMatchObject({ valid: true, dequeuedCount: 1, duplicatedCount: 0 });
  });

  it("an enqueue that cannot learn its outcome before the deadline is info", async () => {
    const { ensemble, ws, rec } = await setUp("protected");
    ensemble.fail({ op: "create", applied: true });
    for (let i = 0; i < 50; i++) ensemble.fail({ op: "sync", applied: false });
    expect((await rec.run(ws[0]!, { f: "enqueue", value: 4 })).type).toBe("info");
    ensemble.faults.length = 0;
    await rec.run(ws[1]!, { f: "drain", value: null });
    expect(checkTotalQueue(rec.history)).toMatchObject({ valid: true, recoveredCount: 1 });
  });

  it("dequeue: lowest first; an empty queue is ok null; a definite refusal before any write is fail", async () => {
    const { ensemble, ws, rec } = await setUp("naive");
    expect((await rec.run(ws[0]!, { f: "dequeue", value: null })).value).toBeNull();
    await rec.run(ws[0]!, { f: "enqueue", value: 1 });
    await rec.run(ws[0]!, { f: "enqueue", value: 2 });
    expect((await rec.run(ws[1]!, { f: "dequeue", value: null })).value).toBe(1);
    ensemble.fail({ op: "getChildren", applied: false });
    expect((await rec.run(ws[1]!, { f: "dequeue", value: null })).type).toBe("fail");
    expect((await rec.run(ws[1]!, { f: "dequeue", value: null })).value).toBe(2);
    expect(checkTotalQueue(rec.history).valid).toBe(true);
  });

  it("dequeue: lost replies of the claim and of the delete still take the element exactly once", async () => {
    const { ensemble, ws, rec } = await setUp("naive");
    await rec.run(ws[0]!, { f: "enqueue", value: 1 });
    ensemble.fail({ op: "create", path: TAKEN_PATH, applied: true });
    ensemble.fail({ op: "delete", applied: true });
    expect(await rec.run(ws[1]!, { f: "dequeue", value: null })).toMatchObject({ type: "ok", value: 1 });
    expect(items(ensemble)).toHaveLength(0);
    expect(checkTotalQueue(rec.history).valid).toBe(true);
  });

  it("a consumer that loses the claim race moves on to the next element", async () => {
    const { ensemble, ws, rec } = await setUp("naive");
    await rec.run(ws[0]!, { f: "enqueue", value: 1 });
    await rec.run(ws[0]!, { f: "enqueue", value: 2 });
    // ws[1] has read element 1; right before its claim lands, ws[0] takes element 1.
    ensemble.fail({
      op: "create",
      path: TAKEN_PATH,
      applied: false,
      lose: false,
      meanwhile: async () => void (await rec.run(ws[0]!, { f: "dequeue", value: null })),
    });
    expect((await rec.run(ws[1]!, { f: "dequeue", value: null })).value).toBe(2);
    expect(checkTotalQueue(rec.history)).toMatchObject({ valid: true, dequeuedCount: 2 });
  });

  it("a dequeue that gives up holding a claim is info; the drain re-delivers its element once", async () => {
    const { ensemble, ws, rec } = await setUp("protected", 3);
    await rec.run(ws[0]!, { f: "enqueue", value: 1 });
    await rec.run(ws[0]!, { f: "enqueue", value: 2 });
    ensemble.fail({ op: "create", path: TAKEN_PATH, applied: true });
    for (let i = 0; i < 50; i++) ensemble.fail({ op: "getData", path: TAKEN_PATH, applied: false });
    expect((await rec.run(ws[1]!, { f: "dequeue", value: null })).type).toBe("info");
    ensemble.faults.length = 0;
    expect(items(ensemble)).toHaveLength(2);
    const [a, b] = await Promise.all([
      rec.run(ws[2]!, { f: "drain", value: null }),
      rec.run(ws[0]!, { f: "drain", value: null }),
    ]);
    expect([...(a.value as number[]), ...(b.value as number[])].sort()).toEqual([1, 2]);
    expect(checkTotalQueue(rec.history)).toMatchObject({ valid: true, dequeuedCount: 2 });
  });

  it("a session that expires mid-enqueue: protected finds its node from the new session", async () => {
    const { ensemble, ws, rec } = await setUp("protected");
    ensemble.fail({
      op: "create",
      path: QUEUE_PATH + "/item-",
      applied: true,
      meanwhile: async () => ws[0]!.zk.expire(),
    });
    expect((await rec.run(ws[0]!, { f: "enqueue", value: 9 })).type).toBe("ok");
    expect(items(ensemble)).toHaveLength(1);
  });
});
