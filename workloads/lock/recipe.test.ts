import { describe, expect, it } from "vitest";
import { checkLockSafety } from "../../checkers/lock-safety.ts";
import type { ResourceEvent } from "../../kernel/resource.ts";
import { Random } from "../../kernel/random.ts";
import { listEphemerals } from "../after-heal/probe.ts";
import lockClient from "./client.ts";
import { checkCounter } from "./counter.ts";
import { HOLD_MS, LOCK_ROOT, lockWorkload } from "./index.ts";
import { ownNodes, predecessor, sequenceOf, sortBySequence } from "./sequential.ts";
import {
  FakeEnsemble,
  FakeWorker,
  fakeResourceServer,
  resourceClient,
  type FakeZk,
} from "../zk/testing/fake-zk.ts";

const events = (server: { events: readonly object[] }): ResourceEvent[] =>
  server.events.map((e) => ({ ...e }) as unknown as ResourceEvent);

describe("sequential helpers", () => {
  it("orders by the 10-digit suffix, not by the name", () => {
    const names = ["lock-0x2-0000000010", "lock-0x1-0000000002", "other", "lock-0x3-0000000007"];
    expect(sequenceOf("lock-0x2-0000000010")).toBe(10);
    expect(sequenceOf("other")).toBeNull();
    expect(sortBySequence(names)).toEqual([
      "lock-0x1-0000000002",
      "lock-0x3-0000000007",
      "lock-0x2-0000000010",
    ]);
  });

  it("finds the one predecessor to watch, null for the lowest, undefined when gone", () => {
    const names = ["l-0000000003", "l-0000000001", "l-0000000002"];
    expect(predecessor(names, "l-0000000001")).toBeNull();
    expect(predecessor(names, "l-0000000003")).toBe("l-0000000002");
    expect(predecessor(names, "l-0000000009")).toBeUndefined();
    expect(ownNodes(["lock-0x1-0000000001", "lock-0x12-0000000002"], "lock-0x1-")).toEqual([
      "lock-0x1-0000000001",
    ]);
  });
});

describe("lock workload", () => {
  it("generates critical ops with a hold inside the bounds, the same for the same seed", () => {
    const a = new Random(5);
    const b = new Random(5);
    for (let n = 0; n < 200; n++) {
      const op = lockWorkload.nextOp(a, n);
      expect(op).toEqual(lockWorkload.nextOp(b, n));
      expect(op.f).toBe("critical");
      const hold = (op.value as { holdMs: number }).holdMs;
      expect(hold).toBeGreaterThanOrEqual(HOLD_MS[0]);
      expect(hold).toBeLessThanOrEqual(HOLD_MS[1]);
    }
  });

  it("fences fenced and persistent, needs no multi, and judges with lock-safety, lost-updates and after-heal", () => {
    expect(lockWorkload.variants).toEqual(["naive", "aware", "fenced", "persistent"]);
    expect(lockWorkload.variants.map((v) => lockWorkload.fencedResource?.(v))).toEqual([
      false,
      false,
      true,
      true,
    ]);
    expect(lockWorkload.needsMulti?.("fenced") ?? false).toBe(false);
    expect(lockWorkload.checkers("naive", []).map((c) => c.name)).toEqual([
      "lock-safety",
      "lost-updates",
      "after-heal",
    ]);
    expect(lockWorkload.finalOps!(0, 3).map((o) => o.f)).toEqual(["critical", "ephemerals"]);
  });
});

describe("lost-updates checker", () => {
  const ev = (
    seq: number,
    op: string,
    holder: string,
    section: string,
    extra: Partial<ResourceEvent> = {},
  ): ResourceEvent =>
    ({
      seq,
      time: seq,
      op,
      holder,
      section,
      accepted: true,
      applied: op === "exit",
      ...extra,
    }) as ResourceEvent;

  it("accepts sequential read-modify-writes", () => {
    const log = [
      ev(0, "enter", "a", "s1", { read: null }),
      ev(1, "exit", "a", "s1", { value: 1 }),
      ev(2, "enter", "b", "s2", { read: 1 }),
      ev(3, "exit", "b", "s2", { value: 2 }),
    ];
    expect(checkCounter(log)).toMatchObject({ valid: true, increments: 2, final: 2 });
  });

  it("reports a write that overwrote another section's write", () => {
    const log = [
      ev(0, "enter", "a", "s1", { read: 4 }),
      ev(1, "enter", "b", "s2", { read: 4 }),
      ev(2, "exit", "b", "s2", { value: 5 }),
      ev(3, "exit", "a", "s1", { value: 5 }),
    ];
    const r = checkCounter(log);
    expect(r.valid).toBe(false);
    expect(r.lostUpdates).toEqual([{ section: "s1", holder: "a", read: 4, current: 5, wrote: 5, time: 3 }]);
  });

  it("ignores a rejected (fenced) write", () => {
    const log = [
      ev(0, "enter", "a", "s1", { read: 4 }),
      ev(1, "enter", "b", "s2", { read: 4 }),
      ev(2, "exit", "b", "s2", { value: 5 }),
      ev(3, "exit", "a", "s1", { value: 5, accepted: false, applied: false }),
    ];
    expect(checkCounter(log).valid).toBe(true);
  });
});

/** Workers on one fake ensemble sharing one resource; `after` runs after each resource access. */
function setup(variant: string, clients: number, after?: (w: number, op: string) => Promise<void>) {
  const ensemble = new FakeEnsemble();
  const server = fakeResourceServer(lockWorkload.fencedResource!(variant));
  const workers = Array.from({ length: clients }, (_, slot) => {
    const rc = resourceClient(server, (req) => after?.(slot, req.op) ?? Promise.resolve());
    const client = lockClient(variant, { acquireTimeoutMs: 2_000 });
    return { w: new FakeWorker(ensemble, slot, rc, variant, client), client };
  });
  const critical = (i: number, holdMs = 5) =>
    workers[i]!.client.invoke(workers[i]!.w.ctx, { f: "critical", value: { holdMs } });
  return { ensemble, server, workers, critical };
}

describe("lock recipe on a fake ensemble", () => {
  it("gives mutual exclusion to concurrent clients; the counter counts every op", async () => {
    const { workers, server, critical } = setup("naive", 3);
    await workers[0]!.client.setup!(workers[0]!.w.ctx);
    const outcomes = await Promise.all(
      workers.map(async (_, i) => {
        const out = [];
        for (let k = 0; k < 5; k++) out.push(await critical(i));
        return out;
      }),
    );
    expect(outcomes.flat().every((o) => o.type === "ok")).toBe(true);
    expect(checkLockSafety(events(server))).toMatchObject({ valid: true, sections: 15, overlapCount: 0 });
    expect(checkCounter(events(server))).toMatchObject({ valid: true, final: 15 });
  });

  it("each waiter watches only its predecessor (no herd)", async () => {
    let probe: (() => void) | null = null;
    const { ensemble, workers, critical } = setup("naive", 4, async (w, op) => {
      if (w === 0 && op === "enter" && probe) await new Promise<void>((r) => setTimeout(r, 30)).then(probe);
    });
    await workers[0]!.client.setup!(workers[0]!.w.ctx);
    const counts: number[] = [];
    probe = () => {
      for (const name of ensemble.children(LOCK_ROOT))
        counts.push(ensemble.watchCount(`${LOCK_ROOT}/${name}`));
    };
    const first = critical(0);
    await new Promise((r) => setTimeout(r, 5));
    await Promise.all([first, critical(1), critical(2), critical(3)]);
    expect(counts.length).toBe(4); // the holder and three waiters were queued
    expect(counts.every((c) => c <= 1)).toBe(true);
    expect(counts.filter((c) => c === 1).length).toBe(3);
  });

  it("gives up after the bounded wait: fail, and its node is gone", async () => {
    const { ensemble, workers } = setup("naive", 2);
    await workers[0]!.client.setup!(workers[0]!.w.ctx);
    const blocker = workers[0]!.w.zk;
    await blocker.create(`${LOCK_ROOT}/lock-${blocker.sessionId}-`, null, "ephemeral_sequential");
    const quick = lockClient("naive", { acquireTimeoutMs: 50 });
    const out = await quick.invoke(workers[1]!.w.ctx, { f: "critical", value: { holdMs: 5 } });
    expect(out).toMatchObject({
      type: "fail",
      error: expect.stringMatching(/^not acquired: timeout behind lock-/),
    });
    expect(ensemble.children(LOCK_ROOT)).toHaveLength(1);
  });

  it("waits three of the run's session timeouts when no wait is given", async () => {
    const { workers } = setup("naive", 2);
    await workers[0]!.client.setup!(workers[0]!.w.ctx);
    const blocker = workers[0]!.w.zk;
    await blocker.create(`${LOCK_ROOT}/lock-${blocker.sessionId}-`, null, "ephemeral_sequential");
    // 3 × 20 ms; the default 4-s session would wait 12 s, past this test's time limit.
    const ctx = Object.defineProperties({ ...workers[1]!.w.ctx }, { sessionTimeoutMs: { value: 20 } });
    const out = await lockClient("naive").invoke(ctx, { f: "critical", value: { holdMs: 5 } });
    expect(out).toMatchObject({
      type: "fail",
      error: expect.stringMatching(/^not acquired: timeout behind/),
    });
  }, 5000);

  it("finds its own node after a create whose reply was lost, and cleans up leftovers", async () => {
    const { ensemble, workers, critical } = setup("naive", 1);
    await workers[0]!.client.setup!(workers[0]!.w.ctx);
    ensemble.fail({ op: "create", applied: true });
    expect(await critical(0)).toMatchObject({ type: "ok", value: { read: null, wrote: 1 } });
    ensemble.fail({ op: "delete", applied: true }); // the release's reply is lost: the node stays behind
    expect(await critical(0)).toMatchObject({ type: "ok" });
    expect(await critical(0)).toMatchObject({ type: "ok", value: { wrote: 3 } });
    expect(ensemble.children(LOCK_ROOT)).toEqual([]);
  });

  it("starts over with a new session after its session expired", async () => {
    const { workers, critical } = setup("naive", 1);
    await workers[0]!.client.setup!(workers[0]!.w.ctx);
    const first = workers[0]!.w.zk;
    first.expire();
    expect(await critical(0)).toMatchObject({ type: "ok" });
    expect(workers[0]!.w.zk).not.toBe(first);
  });
});

/**
 * Seed 000's scenario: client 0 holds the lock and is inside its critical section (it has read the counter)
 * when the ensemble expires its session; client 1 takes the lock and completes a critical section; then
 * client 0 goes on. `notified` says whether client 0 learns of the expiry before it acts again.
 */
async function pausedHolder(variant: string, notified: boolean) {
  let fired = false;
  const ctx = setup(variant, 2, async (w, op) => {
    if (w !== 0 || op !== "enter" || fired) return;
    fired = true;
    const zk0 = ctx.workers[0]!.w.zk as FakeZk;
    if (notified) zk0.expire();
    else zk0.expireSilently();
    second = await ctx.critical(1);
  });
  let second: Awaited<ReturnType<typeof ctx.critical>> | undefined;
  await ctx.workers[0]!.client.setup!(ctx.workers[0]!.w.ctx);
  const first = await ctx.critical(0, 20);
  return {
    first,
    second,
    lock: checkLockSafety(events(ctx.server)),
    counter: checkCounter(events(ctx.server)),
  };
}

describe("a holder whose session expires inside its critical section", () => {
  it("naive writes anyway: overlapping sections and a lost update", async () => {
    const r = await pausedHolder("naive", false);
    expect(r.second).toMatchObject({ type: "ok" });
    expect(r.first).toMatchObject({ type: "ok" });
    expect(r.lock).toMatchObject({ valid: false, overlapCount: 1 });
    expect(r.counter).toMatchObject({ valid: false, lostUpdateCount: 1 });
  });

  it("aware still writes when it noticed nothing (a paused process): the window stays open", async () => {
    const r = await pausedHolder("aware", false);
    expect(r.lock.valid).toBe(false);
  });

  it("aware stops when it was told (Disconnected, then expired) before acting", async () => {
    const r = await pausedHolder("aware", true);
    expect(r.first).toMatchObject({ type: "fail", error: "lost the lock inside the critical section" });
    expect(r.lock.valid).toBe(true);
    expect(r.counter.valid).toBe(true);
  });

  it("aware carries on after a Disconnected blip once its node is confirmed in the same session", async () => {
    let blip = false;
    const ctx = setup("aware", 1, async (_w, op) => {
      if (op !== "enter" || blip) return;
      blip = true;
      const zk = ctx.workers[0]!.w.zk;
      zk.disconnect();
      setTimeout(() => zk.reconnect(), 10);
    });
    await ctx.workers[0]!.client.setup!(ctx.workers[0]!.w.ctx);
    expect(await ctx.critical(0, 30)).toMatchObject({ type: "ok", value: { wrote: 1 } });
  });

  it("persistent: the holder's node outlives its session, and nobody takes the lock again", async () => {
    let expired = false;
    const ctx = setup("persistent", 2, async (w, op) => {
      if (w !== 0 || op !== "enter" || expired) return;
      expired = true;
      (ctx.workers[0]!.w.zk as FakeZk).expireSilently();
    });
    await ctx.workers[0]!.client.setup!(ctx.workers[0]!.w.ctx);
    expect(await ctx.critical(0)).toMatchObject({ type: "ok" }); // fenced: its write is still the newest
    const [left] = ctx.ensemble.children(LOCK_ROOT);
    expect(left).toMatch(/^lock-0x1-\d{10}$/);
    const quick = lockClient("persistent", { acquireTimeoutMs: 50 });
    expect(await quick.invoke(ctx.workers[1]!.w.ctx, { f: "critical", value: { holdMs: 5 } })).toEqual({
      type: "fail",
      error: `not acquired: timeout behind ${left}`,
    });
    const listing = await listEphemerals(ctx.workers[1]!.w.ctx, [LOCK_ROOT], 0);
    expect(listing.nodes).toEqual([
      expect.objectContaining({ path: LOCK_ROOT, owner: null }),
      expect.objectContaining({ path: `${LOCK_ROOT}/${left}`, owner: null }),
    ]);
  });

  it("fenced: the stale holder's write is rejected by the resource, nothing is lost", async () => {
    const r = await pausedHolder("fenced", false);
    expect(r.second).toMatchObject({ type: "ok" });
    expect(r.first).toMatchObject({ type: "fail" });
    expect(String(r.first.error)).toMatch(/exit rejected: stale token/);
    expect(r.lock).toMatchObject({ valid: true, overlapCount: 0, tokenRegressionCount: 0 });
    expect(r.counter).toMatchObject({ valid: true, final: 1 });
  });
});
