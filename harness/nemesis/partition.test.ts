import { describe, expect, it } from "vitest";
import { linksBetween, proxyName } from "../../kernel/links.ts";
import { bareContext, fakeContext } from "./testing/fake-cluster.ts";
import { partitionNemesis } from "./partition.ts";
import type { PartitionValue } from "./partition.ts";

const names = (links: ReturnType<typeof linksBetween>): string[] => links.map(proxyName).sort();

describe("partition nemesis", () => {
  it("isolate-leader cuts exactly the leader's links to every other node, both ways, and names the leader", async () => {
    const ctx = fakeContext({ nodes: 5, leader: "zk3" });
    const nemesis = partitionNemesis({ shapes: ["isolate-leader"] });
    const event = await nemesis.start(ctx);
    const expected = ["zk1", "zk2", "zk4", "zk5"].flatMap((n) => linksBetween("zk3", n));
    expect([...ctx.cluster.cuts.keys()].sort()).toEqual(names(expected));
    expect([...ctx.cluster.cuts.values()].every((m) => m === "blackhole")).toBe(true);
    expect(event.f).toBe("start-partition");
    expect(event.value).toMatchObject({
      shape: "isolate-leader",
      leader: "zk3",
      mode: "blackhole",
      groups: [["zk3"], ["zk1", "zk2", "zk4", "zk5"]],
      links: 16,
    });
    expect(ctx.cluster.slowed.size).toBe(0);
  });

  it("cuts in the context's partition mode", async () => {
    const ctx = fakeContext({ partitionMode: "refuse" });
    const event = await partitionNemesis({ shapes: ["isolate-one"] }).start(ctx);
    expect(ctx.cluster.cuts.size).toBe(8);
    expect(new Set(ctx.cluster.cuts.values())).toEqual(new Set(["refuse"]));
    expect((event.value as PartitionValue).mode).toBe("refuse");
  });

  it("its own mode option wins over the run's partition mode", async () => {
    const ctx = fakeContext({ partitionMode: "blackhole" });
    const event = await partitionNemesis({ shapes: ["isolate-one"], mode: "refuse" }).start(ctx);
    expect(new Set(ctx.cluster.cuts.values())).toEqual(new Set(["refuse"]));
    expect((event.value as PartitionValue).mode).toBe("refuse");
  });

  it("majorities-ring on 5 nodes gives each node a different majority view, and cuts exactly the rest", async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const ctx = fakeContext({ nodes: 5, seed });
      const event = await partitionNemesis({ shapes: ["majorities-ring"] }).start(ctx);
      const views = ctx.cluster.nodes.map((n) => ctx.cluster.viewOf(n).join(","));
      for (const view of views) expect(view.split(",")).toHaveLength(3);
      expect(new Set(views).size).toBe(5);
      // Symmetric: the cut graph is the complement of the ring (each node loses its two non-neighbours).
      const value = event.value as PartitionValue;
      const ring = value.ring!;
      for (let i = 0; i < 5; i++) {
        const node = ring[i]!;
        const neighbours = [ring[(i + 4) % 5]!, node, ring[(i + 1) % 5]!].sort();
        expect(ctx.cluster.viewOf(node)).toEqual(neighbours);
        expect(value.views![node]).toEqual(neighbours);
        expect(value.grudge[node]).toHaveLength(2);
      }
      // 5 pairs × 2 directions × 2 ports.
      expect(ctx.cluster.cuts.size).toBe(20);
      expect(value.links).toBe(20);
    }
  });

  it("halves splits 5 nodes 2|3 with no link inside a half cut", async () => {
    const ctx = fakeContext({ nodes: 5, seed: 7 });
    const value = (await partitionNemesis({ shapes: ["halves"] }).start(ctx)).value as PartitionValue;
    const [minority, majority] = value.groups!;
    expect(minority).toHaveLength(2);
    expect(majority).toHaveLength(3);
    for (const a of minority!) expect(ctx.cluster.viewOf(a).sort()).toEqual([...minority!].sort());
    for (const a of majority!) expect(ctx.cluster.viewOf(a).sort()).toEqual([...majority!].sort());
    expect(ctx.cluster.cuts.size).toBe(24);
  });

  it("bridge keeps one node connected to both halves (5 and 3 nodes)", async () => {
    for (const n of [3, 5]) {
      const ctx = fakeContext({ nodes: n, seed: 11 });
      const value = (await partitionNemesis({ shapes: ["bridge"] }).start(ctx)).value as PartitionValue;
      const bridge = value.bridge!;
      expect(ctx.cluster.viewOf(bridge)).toEqual(ctx.cluster.nodes);
      expect(value.groups!.every((g) => g.includes(bridge))).toBe(true);
      for (const a of ctx.cluster.nodes.filter((x) => x !== bridge))
        expect(ctx.cluster.viewOf(a)).toHaveLength(Math.ceil(n / 2));
      expect(ctx.cluster.cuts.size).toBe(n === 5 ? 16 : 4);
    }
  });

  it("stop heals exactly the links it cut and returns what it healed", async () => {
    const ctx = fakeContext({ nodes: 5 });
    const other = { kind: "client", to: "zk1" } as const;
    await ctx.cluster.slow([other], 50, 0); // another nemesis's fault on a link partitions never touch
    const nemesis = partitionNemesis();
    const started = await nemesis.start(ctx);
    expect(ctx.cluster.cuts.size).toBeGreaterThan(0);
    const stopped = await nemesis.stop(ctx);
    expect(stopped).toEqual({ f: "stop-partition", value: started.value });
    expect(ctx.cluster.cuts.size).toBe(0);
    expect(ctx.cluster.slowed.has(proxyName(other))).toBe(true);
    expect(await nemesis.stop(ctx)).toEqual({ f: "stop-partition", value: null });
  });

  it("heal after start leaves nothing cut, and is idempotent", async () => {
    const ctx = fakeContext({ nodes: 5 });
    const nemesis = partitionNemesis();
    await nemesis.start(ctx);
    await nemesis.heal(ctx);
    expect(ctx.cluster.cuts.size).toBe(0);
    const heals = ctx.cluster.callsOf("heal").length;
    await nemesis.heal(ctx);
    expect(ctx.cluster.callsOf("heal")).toHaveLength(heals);
  });

  it("heal after a failed cut still heals those links; a failed heal never throws and is retried", async () => {
    const ctx = fakeContext({ nodes: 3 });
    const nemesis = partitionNemesis({ shapes: ["isolate-one"] });
    ctx.cluster.failNext("cut");
    await expect(nemesis.start(ctx)).rejects.toThrow(/injected/);
    ctx.cluster.failNext("heal");
    await expect(nemesis.heal(ctx)).resolves.toBeUndefined();
    await nemesis.heal(ctx);
    const lastHeal = ctx.cluster.callsOf("heal").at(-1)!;
    expect((lastHeal.args[0] as unknown[]).length).toBe(8);
    await nemesis.heal(ctx);
    expect(ctx.cluster.callsOf("heal")).toHaveLength(2);
  });

  it("same seed gives the same sequence of shapes and groups; another seed differs", async () => {
    const run = async (seed: number): Promise<unknown[]> => {
      const ctx = fakeContext({ nodes: 5, seed });
      const nemesis = partitionNemesis();
      const events: unknown[] = [];
      for (let i = 0; i < 12; i++) {
        events.push((await nemesis.start(ctx)).value);
        await nemesis.stop(ctx);
      }
      return events;
    };
    const a = await run(42);
    expect(await run(42)).toEqual(a);
    expect(await run(43)).not.toEqual(a);
    expect(new Set(a.map((v) => (v as PartitionValue).shape)).size).toBeGreaterThan(2);
  });

  it("skips shapes that do not fit, and refuses when none does", async () => {
    const ctx = fakeContext({ nodes: 3 });
    const nemesis = partitionNemesis({ shapes: ["majorities-ring", "halves"] });
    for (let i = 0; i < 5; i++) {
      expect((await nemesis.start(ctx)).value).toMatchObject({ shape: "halves" });
      await nemesis.stop(ctx);
    }
    await expect(partitionNemesis({ shapes: ["majorities-ring"] }).start(ctx)).rejects.toThrow(
      /fits 3 nodes/,
    );
  });

  it("isolate-leader with no leader fails without cutting anything", async () => {
    const ctx = fakeContext({ leader: null });
    const nemesis = partitionNemesis({ shapes: ["isolate-leader"] });
    await expect(nemesis.start(ctx)).rejects.toThrow(/leader/);
    expect(ctx.cluster.callsOf("cut")).toHaveLength(0);
    await nemesis.heal(ctx);
    expect(ctx.cluster.callsOf("heal")).toHaveLength(0);
  });

  it("needs link control to start, but heals quietly without it", async () => {
    const ctx = bareContext();
    const nemesis = partitionNemesis();
    await expect(nemesis.start(ctx)).rejects.toThrow(/link control/);
    await expect(nemesis.heal(ctx)).resolves.toBeUndefined();
  });
});
