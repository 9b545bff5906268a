import { describe, expect, it } from "vitest";
import { fakeContext } from "./testing/fake-cluster.ts";
import type { InFlightOps, InFlightWrite } from "./nemesis.ts";
import { lostRepliesNemesis, type LostRepliesValue } from "./lost-replies.ts";

describe("lost-replies nemesis", () => {
  it("drops only the replies on one server's client links, shared and per client, and heals exactly those", async () => {
    const ctx = fakeContext({ nodes: 3, clients: 2, clientSlots: 2, seed: 4 });
    const nemesis = lostRepliesNemesis();
    const event = await nemesis.start(ctx);
    const { nodes, count } = event.value as LostRepliesValue;
    expect(event.f).toBe("start-lost-replies");
    expect(nodes).toHaveLength(1);
    const node = nodes[0]!;
    expect([...ctx.cluster.cuts.keys()].sort()).toEqual([
      `client-${node}`,
      `client0-${node}`,
      `client1-${node}`,
    ]);
    expect(count).toBe(3);
    expect(new Set(ctx.cluster.cuts.values())).toEqual(new Set(["drop-replies"]));
    expect(await nemesis.stop(ctx)).toEqual({ f: "stop-lost-replies", value: event.value });
    expect(ctx.cluster.cuts.size).toBe(0);
  });

  it("all-nodes drops every server's replies; a bad option is refused", async () => {
    const ctx = fakeContext({ nodes: 5 });
    const event = await lostRepliesNemesis({ scopes: ["all-nodes"] }).start(ctx);
    expect((event.value as LostRepliesValue).nodes).toHaveLength(5);
    expect(ctx.cluster.cuts.size).toBe(5);
    expect(() => lostRepliesNemesis({ scopes: ["some" as never] })).toThrow(/scopes/);
  });
});

/** Writes in flight now, and the ones invoked later (each after its delay, ms). */
function inFlight(now: InFlightWrite[], later: [number, InFlightWrite][] = []): InFlightOps {
  return {
    writes: () => now,
    nextWrite: (timeoutMs) =>
      new Promise((resolve) => {
        const next = later.shift();
        if (next && next[0] < timeoutMs) setTimeout(() => resolve(next[1]), next[0]);
        else setTimeout(() => resolve(null), timeoutMs);
      }),
  };
}

describe("lost-replies aimed at a write in flight", () => {
  it("drops the replies of the server a client with a write in flight is on", async () => {
    const ctx = {
      ...fakeContext({ nodes: 3, clients: 2, clientSlots: 2, seed: 4 }),
      inFlight: inFlight([{ slot: 1, f: "create", node: "zk3" }]),
    };
    const event = await lostRepliesNemesis().start(ctx);
    const value = event.value as LostRepliesValue;
    expect(value.nodes).toEqual(["zk3"]);
    expect(value.aimed).toBe("inflight c1 (create) on zk3");
    expect([...ctx.cluster.cuts.keys()].sort()).toEqual(["client-zk3", "client0-zk3", "client1-zk3"]);
  });

  it("waits for the next write on a known server; with none in a session timeout it picks a server as before and says so", async () => {
    const ctx = {
      ...fakeContext({ sessionTimeoutMs: 1000 }),
      inFlight: inFlight(
        [{ slot: 2, f: "create" }], // its server is not known yet: not aimed at
        [
          [5, { slot: 0, f: "create" }],
          [5, { slot: 0, f: "enqueue", node: "zk2" }],
        ],
      ),
    };
    const aimed = await lostRepliesNemesis().start(ctx);
    expect(aimed.value).toMatchObject({ nodes: ["zk2"], aimed: "inflight c0 (enqueue) on zk2" });

    const ctx2 = { ...fakeContext({ sessionTimeoutMs: 50 }), inFlight: inFlight([]) };
    const fallback = (await lostRepliesNemesis().start(ctx2)).value as LostRepliesValue;
    expect(fallback.aimed).toMatch(/^random \(no write in flight/);
    expect(fallback.nodes).toHaveLength(1);
  });

  it("--target random keeps the seeded server pick", async () => {
    const ctx = {
      ...fakeContext({ seed: 4 }),
      inFlight: inFlight([{ slot: 1, f: "create", node: "zk3" }]),
      target: "random" as const,
    };
    const value = (await lostRepliesNemesis().start(ctx)).value as LostRepliesValue;
    expect(value.aimed).toBeUndefined();
  });

  it("catches the next write before it is sent and cuts its server's replies before letting it go", async () => {
    const base = fakeContext({ nodes: 3, clients: 2, clientSlots: 2, seed: 4 });
    const order: string[] = [];
    const catching: InFlightOps = {
      ...inFlight([{ slot: 0, f: "dequeue", node: "zk1" }]),
      catchNextWrite: () =>
        Promise.resolve({
          slot: 1,
          f: "enqueue",
          node: "zk2",
          release: () => order.push(`released with ${[...base.cluster.cuts.keys()].sort().join(",")}`),
        }),
    };
    const event = await lostRepliesNemesis().start({ ...base, inFlight: catching });
    expect(event.value).toMatchObject({ nodes: ["zk2"], aimed: "next c1 (enqueue) on zk2" });
    expect(order).toEqual(["released with client-zk2,client0-zk2,client1-zk2"]);
  });

  it("a catch that found no write falls back to a random server at once, without a second wait", async () => {
    let waitedForInFlight = false;
    const ctx = {
      ...fakeContext({ nodes: 3, seed: 4 }),
      inFlight: {
        ...inFlight([{ slot: 0, f: "enqueue", node: "zk1" }]),
        writes: () => {
          waitedForInFlight = true;
          return [];
        },
        catchNextWrite: () => Promise.resolve(null),
      },
    };
    const value = (await lostRepliesNemesis().start(ctx)).value as LostRepliesValue;
    expect(value.aimed).toMatch(/^random \(/);
    expect(waitedForInFlight).toBe(false);
  });
});
