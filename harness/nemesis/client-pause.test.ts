import { describe, expect, it } from "vitest";
import type { ClientActors } from "../../kernel/resource.ts";
import { clientPauseNemesis, type ClientPauseValue } from "./client-pause.ts";
import { fakeContext } from "./testing/fake-cluster.ts";

describe("client-pause nemesis", () => {
  it("pauses one client slot past its session timeout and resumes the same slot", async () => {
    const ctx = fakeContext({ clients: 5, seed: 5, sessionTimeoutMs: 4000 });
    const nemesis = clientPauseNemesis();
    const event = await nemesis.start(ctx);
    const { slot } = event.value as ClientPauseValue;
    expect(event.f).toBe("pause-client");
    expect(event.durationMs).toBe(6000);
    expect([...ctx.clients.paused]).toEqual([slot]);
    expect(await nemesis.stop(ctx)).toEqual({ f: "resume-client", value: { slots: [slot], mode: "signal" } });
    expect(ctx.clients.calls).toEqual([
      { op: "pause", args: [slot] },
      { op: "resume", args: [slot] },
    ]);
  });

  it("takes the pause length as a multiple of the session timeout", async () => {
    const ctx = fakeContext({ sessionTimeoutMs: 3000 });
    // By default past the session's expiry (its timeout and a tick), not two whole timeouts.
    expect((await clientPauseNemesis().start(ctx)).durationMs).toBe(4500);
    await clientPauseNemesis().heal(ctx);
    expect((await clientPauseNemesis({ sessionTimeouts: 0.5 }).start(ctx)).durationMs).toBe(1500);
  });

  it("takes a fixed length and its own mode over the run's", async () => {
    const ctx = fakeContext({
      clients: 3,
      clientSlots: 3,
      clientPauseMode: "signal",
      sessionTimeoutMs: 3000,
    });
    const event = await clientPauseNemesis({ durationMs: 8000, mode: "network" }).start(ctx);
    expect(event.durationMs).toBe(8000);
    expect((event.value as ClientPauseValue).mode).toBe("network");
    expect(ctx.clients.calls).toEqual([]);
    expect(ctx.cluster.cuts.size).toBeGreaterThan(0);
  });

  it("picks a free slot each time and refuses when every client is stopped", async () => {
    const ctx = fakeContext({ clients: 2 });
    const nemesis = clientPauseNemesis();
    await nemesis.start(ctx);
    await nemesis.start(ctx);
    expect(ctx.clients.paused.size).toBe(2);
    await expect(nemesis.start(ctx)).rejects.toThrow(/no client left/);
    await nemesis.heal(ctx);
    expect(ctx.clients.paused.size).toBe(0);
  });

  it("heal after a failed start resumes the slot and never throws", async () => {
    const ctx = fakeContext();
    const nemesis = clientPauseNemesis();
    ctx.clients.failNext("pause");
    await expect(nemesis.start(ctx)).rejects.toThrow(/injected/);
    ctx.clients.failNext("resume");
    await expect(nemesis.heal(ctx)).resolves.toBeUndefined();
    await nemesis.heal(ctx);
    await nemesis.heal(ctx);
    expect(ctx.clients.calls.filter((c) => c.op === "resume")).toHaveLength(2);
  });

  it("network mode blackholes one client's own links to every server, both ways, and heals exactly those", async () => {
    const ctx = fakeContext({ clients: 3, clientSlots: 3, clientPauseMode: "network", seed: 2 });
    const nemesis = clientPauseNemesis();
    const event = await nemesis.start(ctx);
    const { slot, mode } = event.value as ClientPauseValue;
    expect(mode).toBe("network");
    expect(event.durationMs).toBe(6000);
    expect(ctx.clients.calls).toEqual([]); // the process keeps running
    expect([...ctx.cluster.cuts.keys()].sort()).toEqual([
      `client${slot}-zk1`,
      `client${slot}-zk2`,
      `client${slot}-zk3`,
    ]);
    expect(new Set(ctx.cluster.cuts.values())).toEqual(new Set(["blackhole"]));
    await expect(nemesis.start(ctx)).rejects.toThrow(/already cut off/);
    expect(await nemesis.stop(ctx)).toEqual({
      f: "resume-client",
      value: { slots: [slot], mode: "network" },
    });
    expect(ctx.cluster.cuts.size).toBe(0);
    await nemesis.start(ctx);
    await nemesis.heal(ctx);
    expect(ctx.cluster.cuts.size).toBe(0);
  });

  it("network mode refuses when the clients share their links", async () => {
    const ctx = fakeContext({ clients: 3, clientPauseMode: "network" });
    await expect(clientPauseNemesis().start(ctx)).rejects.toThrow(/proxied link per client/);
  });

  describe("aimed (--target)", () => {
    /** Actors with `inside` in their critical sections now, and `entering` entering next. */
    const actors = (o: {
      inside?: number[];
      entering?: number[];
      leader?: number | null;
      leading?: number[];
    }): ClientActors => {
      const entering = [...(o.entering ?? [])];
      const leading = [...(o.leading ?? [])];
      return {
        inSection: () => o.inside ?? [],
        leader: () => o.leader ?? null,
        kind: () => (o.leader !== undefined ? "leader" : "holder"),
        nextEntry: () => Promise.resolve(entering.shift() ?? null),
        nextLeaderWrite: () => Promise.resolve(leading.shift() ?? null),
      };
    };

    it("auto pauses a client inside its critical section", async () => {
      for (const seed of [1, 2, 3, 4]) {
        const ctx = { ...fakeContext({ clients: 5, seed }), actors: actors({ inside: [3] }) };
        const event = await clientPauseNemesis().start(ctx);
        expect(event.value).toMatchObject({ slot: 3, aimed: "holder" });
        expect([...ctx.clients.paused]).toEqual([3]);
      }
    });

    it("with nobody inside, waits for the next to enter, skipping one already paused", async () => {
      const base = fakeContext({ clients: 5 });
      const nemesis = clientPauseNemesis();
      const first = await nemesis.start({ ...base, target: "holder", actors: actors({ entering: [2] }) });
      expect(first.value).toMatchObject({ slot: 2, aimed: "holder" });
      const second = await nemesis.start({ ...base, target: "holder", actors: actors({ entering: [2, 4] }) });
      expect(second.value).toMatchObject({ slot: 4, aimed: "holder" });
      expect([...base.clients.paused].sort()).toEqual([2, 4]);
    });

    it("falls back to a random client, and says why, when no holder comes", async () => {
      const ctx = { ...fakeContext({ clients: 5 }), target: "holder" as const, actors: actors({}) };
      const event = await clientPauseNemesis().start(ctx);
      expect((event.value as ClientPauseValue).aimed).toBe("random (no holder entered a critical section)");
      const none = { ...fakeContext({ clients: 5 }), actors: { ...actors({}), kind: () => null } };
      const plain = await clientPauseNemesis().start(none);
      expect((plain.value as ClientPauseValue).aimed).toBe("random (no holder or leader seen)");
    });

    it("leader pauses the client that writes next as leader, not a last writer that may have resigned", async () => {
      const led = {
        ...fakeContext({ clients: 5 }),
        target: "leader" as const,
        actors: actors({ leader: 1, leading: [3] }),
      };
      expect((await clientPauseNemesis().start(led)).value).toMatchObject({ slot: 3, aimed: "leader" });
      const auto = { ...fakeContext({ clients: 5 }), actors: actors({ leader: 4, leading: [4] }) };
      expect((await clientPauseNemesis().start(auto)).value).toMatchObject({ slot: 4, aimed: "leader" });
      // With the runner's view of ops: paused as it starts its act, skipping a leader that resigns next.
      const starts = [
        { slot: 3, f: "resign" },
        { slot: 0, f: "write" }, // another client's
        { slot: 1, f: "write" },
      ];
      const acting = {
        ...fakeContext({ clients: 5 }),
        actors: actors({ leader: 3, leading: [3, 1] }),
        inFlight: {
          writes: () => [],
          nextWrite: () => Promise.resolve(starts.shift() ?? null),
          aimsAt: (f: string) => f === "write",
        },
      };
      expect((await clientPauseNemesis().start(acting)).value).toMatchObject({
        slot: 1,
        aimed: "leader (in its write)",
      });
      // No leading write in time: the last leader, saying so.
      const quiet = { ...fakeContext({ clients: 5 }), actors: actors({ leader: 2 }) };
      expect((await clientPauseNemesis().start(quiet)).value).toMatchObject({
        slot: 2,
        aimed: "leader (no write since)",
      });
      const any = {
        ...fakeContext({ clients: 5 }),
        target: "random" as const,
        actors: actors({ inside: [3] }),
      };
      expect((await clientPauseNemesis().start(any)).value).toMatchObject({ aimed: "random" });
    });

    it("leader holds the leader's next write at the resource while it is paused, and lets it in on waking", async () => {
      const order: string[] = [];
      const base = fakeContext({ clients: 5 });
      const ctx = {
        ...base,
        actors: {
          ...actors({ leader: 1, leading: [1] }),
          catchLeaderWrite: (_ms: number, ok: (slot: number) => boolean) =>
            Promise.resolve(ok(2) ? { slot: 2, release: () => order.push("write in") } : null),
        },
      };
      const resume = base.clients.resume.bind(base.clients);
      base.clients.resume = async (slot: number) => {
        order.push(`resume ${slot}`);
        await resume(slot);
      };
      const nemesis = clientPauseNemesis();
      const event = await nemesis.start(ctx);
      expect(event.value).toMatchObject({ slot: 2, aimed: "leader (its write held)" });
      expect(order).toEqual([]);
      await nemesis.stop(ctx);
      expect(order).toEqual(["resume 2", "write in"]);
      // heal lets a held write in too, even when the pause itself failed.
      base.clients.failNext("pause");
      await expect(nemesis.start(ctx)).rejects.toThrow(/injected/);
      expect(order).toEqual(["resume 2", "write in", "write in"]);
      await nemesis.heal(ctx);
      // Nothing caught in time: the leader as it starts its act, as before.
      const plain = { ...ctx, actors: { ...ctx.actors, catchLeaderWrite: () => Promise.resolve(null) } };
      expect((await clientPauseNemesis().start(plain)).value).toMatchObject({ slot: 1, aimed: "leader" });
    });
  });
});
