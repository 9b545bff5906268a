import { describe, expect, it } from "vitest";
import { checkLeaderSafety, checkLeaderSafetyInZooKeeper } from "../../checkers/leader-safety.ts";
import type { ResourceEvent } from "../../kernel/resource.ts";
import { Random } from "../../kernel/random.ts";
import type { Op } from "../../kernel/op.ts";
import type { OpOutcome } from "../workload.ts";
import { FakeEnsemble, FakeWorker, fakeResourceServer, resourceClient } from "../zk/testing/fake-zk.ts";
import electionClient, { decodeEntry, encodeEntry } from "./client.ts";
import { LATCH_ROOT, RESIGN_SHARE, electionWorkload } from "./index.ts";

const events = (server: { events: readonly object[] }): ResourceEvent[] =>
  server.events.map((e) => ({ ...e }) as unknown as ResourceEvent);

describe("election workload", () => {
  it("mostly writes, sometimes resigns, the same for the same seed", () => {
    const a = new Random(9);
    const b = new Random(9);
    const ops = Array.from({ length: 2000 }, (_, n) => electionWorkload.nextOp(a, n));
    expect(ops).toEqual(Array.from({ length: 2000 }, (_, n) => electionWorkload.nextOp(b, n)));
    const resigns = ops.filter((o) => o.f === "resign").length / ops.length;
    expect(resigns).toBeGreaterThan(RESIGN_SHARE / 2);
    expect(resigns).toBeLessThan(RESIGN_SHARE * 2);
    expect(new Set(ops.map((o) => o.f))).toEqual(new Set(["write", "resign"]));
  });

  it("guarded needs multi, fenced fences, and leader-safety judges", () => {
    expect(electionWorkload.variants).toEqual(["naive", "guarded", "fenced"]);
    expect(electionWorkload.variants.map((v) => electionWorkload.needsMulti?.(v))).toEqual([
      false,
      true,
      false,
    ]);
    expect(electionWorkload.variants.map((v) => electionWorkload.fencedResource?.(v))).toEqual([
      false,
      false,
      true,
    ]);
    const names = (v: string) => electionWorkload.checkers(v, []).map((c) => c.name);
    expect(names("naive")).toEqual(["leader-safety", "leader-safety-zk", "after-heal"]);
    expect(names("guarded")).toEqual(["leader-safety-zk", "after-heal"]);
    expect(names("fenced")).toEqual(["leader-safety", "after-heal"]);
  });

  it("encodes the leader's entry for the state node", () => {
    expect(decodeEntry(encodeEntry("c0/0x1/latch-1", "42", 7))).toBe(7);
    expect(decodeEntry(Buffer.alloc(0))).toBe(0);
    expect(decodeEntry(Buffer.from("not json"))).toBe(0);
  });
});

function setup(variant: string, clients: number) {
  const ensemble = new FakeEnsemble();
  const server = fakeResourceServer(electionWorkload.fencedResource!(variant));
  const multi = electionWorkload.needsMulti!(variant);
  const workers = Array.from({ length: clients }, (_, slot) => {
    const client = electionClient(variant, { waitMs: 20 });
    return { w: new FakeWorker(ensemble, slot, resourceClient(server), variant, client, { multi }), client };
  });
  const history: Op[] = [];
  const run = async (i: number, f: "write" | "resign") => {
    const { w, client } = workers[i]!;
    let outcome: OpOutcome;
    try {
      outcome = await client.invoke(w.ctx, { f, value: null });
    } catch (err) {
      outcome = { type: "info" as const, error: String(err) };
    }
    history.push({ index: history.length, time: history.length, process: i, f, value: null, ...outcome });
    return outcome;
  };
  /** Leader safety where the variant's writes land: ZooKeeper's order for guarded, the resource otherwise. */
  const verdict = () =>
    variant === "guarded" ? checkLeaderSafetyInZooKeeper(history) : checkLeaderSafety(events(server));
  return { ensemble, server, workers, run, history, verdict };
}

describe("election recipe on a fake ensemble", () => {
  it.each(["naive", "guarded", "fenced"])(
    "%s: one leader at a time; resign hands over to the next in line",
    async (variant) => {
      const { ensemble, workers, run, verdict } = setup(variant, 3);
      await workers[0]!.client.setup!(workers[0]!.w.ctx);
      expect(await run(0, "write")).toMatchObject({ type: "ok", value: { entry: 1 } });
      expect(await run(1, "write")).toMatchObject({ type: "fail", error: "not leader" });
      expect(await run(2, "write")).toMatchObject({ type: "fail", error: "not leader" });
      expect(await run(0, "write")).toMatchObject({ type: "ok", value: { entry: 2 } });
      // Each latch is watched by at most its successor.
      for (const name of ensemble.children(LATCH_ROOT))
        expect(ensemble.watchCount(`${LATCH_ROOT}/${name}`)).toBeLessThanOrEqual(1);
      expect(await run(1, "resign")).toMatchObject({ type: "fail", error: "not leader" });
      expect(await run(0, "resign")).toMatchObject({ type: "ok" });
      expect(await run(1, "write")).toMatchObject({ type: "ok", value: { entry: 3 } });
      expect(await run(0, "write")).toMatchObject({ type: "fail", error: "not leader" });
      expect(await run(1, "resign")).toMatchObject({ type: "ok" });
      expect(await run(2, "write")).toMatchObject({ type: "ok", value: { entry: 4 } });
      expect(verdict()).toMatchObject({ valid: true, leaders: 3, staleWriteCount: 0 });
    },
  );
});

/**
 * Seeds 000 and 004: client 0 leads and writes; its session expires while it notices nothing (a pause);
 * client 1 becomes leader and writes; client 0 goes on (its first call learns of the expiry, then it has
 * a new session) and writes again.
 */
async function deposedLeader(variant: string) {
  const { ensemble, workers, run, history, verdict } = setup(variant, 2);
  await workers[0]!.client.setup!(workers[0]!.w.ctx);
  expect(await run(0, "write")).toMatchObject({ type: "ok" });
  expect(await run(1, "write")).toMatchObject({ type: "fail" });
  workers[0]!.w.zk.expireSilently();
  await Promise.resolve();
  expect(await run(1, "write")).toMatchObject({ type: "ok" });
  const late = [await run(0, "write"), await run(0, "write"), await run(0, "write")];
  expect(await run(1, "write")).toMatchObject({ type: "ok" });
  return { late, verdict: verdict(), inZooKeeper: checkLeaderSafetyInZooKeeper(history), ensemble };
}

describe("a leader deposed while paused", () => {
  it("naive carries on under its new session: stale writes after its successor's", async () => {
    const { late, verdict, inZooKeeper } = await deposedLeader("naive");
    expect(late[0]).toMatchObject({ type: "info" }); // the call that learns of the expiry
    expect(late.slice(1).every((o) => o.type === "ok")).toBe(true);
    expect(verdict).toMatchObject({ valid: false, staleWriteCount: 2 });
    // Its writes reach ZooKeeper too, after its successor's in ZooKeeper's own order.
    expect(inZooKeeper).toMatchObject({ valid: false, staleWriteCount: 2, order: "mzxid" });
  });

  it("guarded: its writes need the latch; with the session gone it queues again and writes nothing", async () => {
    const { late, verdict } = await deposedLeader("guarded");
    expect(late[0]).toMatchObject({ type: "info" });
    expect(late.slice(1).every((o) => o.type === "fail")).toBe(true);
    expect(verdict).toMatchObject({ valid: true, leaders: 2, staleWriteCount: 0 });
  });

  it("guarded: a latch deleted under a live session fails the multi and deposes the leader", async () => {
    const { ensemble, server, workers, run, verdict } = setup("guarded", 2);
    await workers[0]!.client.setup!(workers[0]!.w.ctx);
    expect(await run(0, "write")).toMatchObject({ type: "ok" });
    expect(await run(1, "write")).toMatchObject({ type: "fail" });
    const [latch] = ensemble.children(LATCH_ROOT).sort();
    ensemble.remove(`${LATCH_ROOT}/${latch!}`);
    expect(await run(0, "write")).toMatchObject({ type: "fail", error: "deposed: latch gone" });
    expect(await run(1, "write")).toMatchObject({ type: "ok" });
    expect(verdict()).toMatchObject({ valid: true, leaders: 2 });
    expect(events(server)).toEqual([]); // guarded writes to ZooKeeper only
  });

  it("fenced: the stale token is rejected and the old leader steps down", async () => {
    const { late, verdict } = await deposedLeader("fenced");
    expect(late[0]).toMatchObject({ type: "info" });
    expect(late[1]).toMatchObject({ type: "fail" });
    expect(String(late[1]!.error)).toMatch(/rejected: stale token/);
    expect(late[2]).toMatchObject({ type: "fail", error: "not leader" });
    expect(verdict).toMatchObject({ valid: true, staleWriteCount: 0 });
  });
});
