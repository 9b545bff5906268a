import { describe, expect, it } from "vitest";
import { linksOf, proxyName } from "../../kernel/links.ts";
import { bareContext, fakeContext } from "./testing/fake-cluster.ts";
import { latencyNemesis, type LatencyValue } from "./latency.ts";

describe("latency nemesis", () => {
  it("one-node slows every link of one server, both ways, by ms ± jitter", async () => {
    const ctx = fakeContext({ nodes: 5, seed: 3 });
    const event = await latencyNemesis({ latencyMs: 200, jitterMs: 20, scopes: ["one-node"] }).start(ctx);
    const value = event.value as LatencyValue;
    expect(event.f).toBe("start-latency");
    expect(value.nodes).toHaveLength(1);
    const expected = linksOf(value.nodes[0]!, 5).map(proxyName).sort();
    expect([...ctx.cluster.slowed.keys()].sort()).toEqual(expected);
    expect(value.count).toBe(expected.length); // 1 client + 4 peers × 2 directions × 2 ports
    expect(expected).toHaveLength(17);
    for (const s of ctx.cluster.slowed.values()) expect(s).toEqual({ latencyMs: 200, jitterMs: 20 });
    expect(ctx.cluster.cuts.size).toBe(0);
  });

  it("all-nodes slows every link of the kind asked for", async () => {
    const peer = fakeContext({ nodes: 3 });
    await latencyNemesis({ links: "peer", scopes: ["all-nodes"] }).start(peer);
    expect(peer.cluster.slowed.size).toBe(12);
    expect([...peer.cluster.slowed.keys()].some((p) => p.startsWith("client-"))).toBe(false);

    const client = fakeContext({ nodes: 3 });
    await latencyNemesis({ links: "client", scopes: ["all-nodes"] }).start(client);
    expect([...client.cluster.slowed.keys()].sort()).toEqual(["client-zk1", "client-zk2", "client-zk3"]);

    const all = fakeContext({ nodes: 3 });
    await latencyNemesis({ scopes: ["all-nodes"] }).start(all);
    expect(all.cluster.slowed.size).toBe(15);
  });

  it("stop and heal undo exactly what start slowed", async () => {
    const ctx = fakeContext({ nodes: 3 });
    const nemesis = latencyNemesis({ links: "client" });
    await ctx.cluster.cut([{ kind: "peer", from: "zk1", to: "zk2", port: "quorum" }], "refuse"); // someone else's
    const started = await nemesis.start(ctx);
    expect(await nemesis.stop(ctx)).toEqual({ f: "stop-latency", value: started.value });
    expect(ctx.cluster.slowed.size).toBe(0);
    expect(ctx.cluster.cuts.size).toBe(1);
    await nemesis.start(ctx);
    await nemesis.heal(ctx);
    await nemesis.heal(ctx);
    expect(ctx.cluster.slowed.size).toBe(0);
  });

  it("same seed, same choices", async () => {
    const run = async (seed: number): Promise<unknown[]> => {
      const ctx = fakeContext({ nodes: 5, seed });
      const nemesis = latencyNemesis();
      const out: unknown[] = [];
      for (let i = 0; i < 8; i++) {
        out.push((await nemesis.start(ctx)).value);
        await nemesis.stop(ctx);
      }
      return out;
    };
    expect(await run(9)).toEqual(await run(9));
  });

  it("needs link control; heal without it is quiet", async () => {
    const nemesis = latencyNemesis();
    await expect(nemesis.start(bareContext())).rejects.toThrow(/link control/);
    await expect(nemesis.heal(bareContext())).resolves.toBeUndefined();
  });
});
