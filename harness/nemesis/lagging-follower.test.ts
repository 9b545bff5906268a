import { describe, expect, it } from "vitest";
import { BadInputError } from "../../kernel/errors.ts";
import { fakeContext } from "./testing/fake-cluster.ts";
import {
  checkLagFits,
  lagBudgetMs,
  laggingFollowerNemesis,
  type LaggingFollowerValue,
} from "./lagging-follower.ts";

describe("lagging-follower nemesis", () => {
  it("slows one follower's quorum link to the leader, pins readers to it and writers off it; stop heals exactly those", async () => {
    const ctx = fakeContext({ nodes: 3, leader: "zk2", clients: 5, clientSlots: 5, seed: 7 });
    const nemesis = laggingFollowerNemesis();
    const event = await nemesis.start(ctx);
    expect(event.f).toBe("start-lagging-follower");
    const v = event.value as LaggingFollowerValue;
    expect(v.leader).toBe("zk2");
    expect(["zk1", "zk3"]).toContain(v.follower);
    expect({ lagMs: v.lagMs, jitterMs: v.jitterMs }).toEqual({ lagMs: 500, jitterMs: 100 });
    expect([...v.readers, ...v.writers].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(v.readers).toHaveLength(3);
    const f = v.follower;
    expect([...ctx.cluster.slowed.keys()].sort()).toEqual([`${f}-zk2-quorum`, `zk2-${f}-quorum`].sort());
    const others = ["zk1", "zk2", "zk3"].filter((n) => n !== f);
    const refused = [
      ...v.readers.flatMap((s) => others.map((n) => `client${s}-${n}`)),
      ...v.writers.map((s) => `client${s}-${f}`),
    ];
    expect([...ctx.cluster.cuts.keys()].sort()).toEqual(refused.sort());
    expect(new Set(ctx.cluster.cuts.values())).toEqual(new Set(["refuse"]));
    expect(v.count).toBe(2 + refused.length);
    // The lag goes in before the readers are moved to the follower.
    expect(ctx.cluster.calls.map((c) => c.op)).toEqual(["slow", "cut"]);
    expect(await nemesis.stop(ctx)).toEqual({ f: "stop-lagging-follower", value: v });
    expect(ctx.cluster.cuts.size + ctx.cluster.slowed.size).toBe(0);
  });

  it("never picks the leader, whichever seed", async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const ctx = fakeContext({ nodes: 5, leader: "zk4", clientSlots: 5, seed });
      const v = (await laggingFollowerNemesis().start(ctx)).value as LaggingFollowerValue;
      expect(v.follower).not.toBe("zk4");
    }
  });

  it("takes its lag option over its own default; a lag that would drop the follower is refused", async () => {
    const ctx = fakeContext({ clientSlots: 2, clients: 2 });
    expect(lagBudgetMs(500)).toBe(1000);
    expect(() => checkLagFits({ lagMs: 1000 }, { tickTimeMs: 500 })).toThrow(
      /lagMs \+ jitterMs must be at most 1000/,
    );
    expect(() => checkLagFits({ lagMs: 900 }, { tickTimeMs: 500 })).not.toThrow();
    expect(() => checkLagFits({}, { tickTimeMs: 200 })).toThrow(/at most 400 .* got 500 \+ 100/);
    const v = (await laggingFollowerNemesis({ lagMs: 250, jitterMs: 0 }).start(ctx))
      .value as LaggingFollowerValue;
    expect({ lagMs: v.lagMs, jitterMs: v.jitterMs, readers: v.readers.length }).toEqual({
      lagMs: 250,
      jitterMs: 0,
      readers: 1,
    });
    expect(ctx.cluster.slowed.get(`${v.follower}-zk1-quorum`)).toEqual({ latencyMs: 250, jitterMs: 0 });
  });

  it("heals what a start that failed half-way touched", async () => {
    const ctx = fakeContext({ clientSlots: 3, clients: 3 });
    ctx.cluster.failNext("cut");
    const nemesis = laggingFollowerNemesis();
    await expect(nemesis.start(ctx)).rejects.toThrow(/injected failure of cut/);
    expect(ctx.cluster.slowed.size).toBe(2);
    await nemesis.heal(ctx);
    expect(ctx.cluster.slowed.size).toBe(0);
  });

  it("refuses to start without a leader, a follower or per-client links", async () => {
    await expect(
      laggingFollowerNemesis().start(fakeContext({ leader: null, clientSlots: 5 })),
    ).rejects.toThrow(/no server answers as leader/);
    const down = fakeContext({ clientSlots: 5 });
    down.cluster.paused.add("zk2").add("zk3");
    await expect(laggingFollowerNemesis().start(down)).rejects.toThrow(/no server answers as follower/);
    await expect(laggingFollowerNemesis().start(fakeContext())).rejects.toThrow(/links of its own/);
  });

  it("rejects bad options as bad input", () => {
    expect(() => laggingFollowerNemesis({ lagMs: 0 })).toThrow(BadInputError);
    expect(() => laggingFollowerNemesis({ jitterMs: -1 })).toThrow(/jitterMs must be a number ≥ 0/);
    expect(() => laggingFollowerNemesis({ lag: 5 } as never)).toThrow(/unknown option "lag"/);
  });
});
