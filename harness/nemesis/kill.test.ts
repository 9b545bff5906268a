import { describe, expect, it } from "vitest";
import { bareContext, fakeContext } from "./testing/fake-cluster.ts";
import { killNemesis, type KillValue } from "./kill.ts";

describe("kill nemesis", () => {
  it("kill then stop restarts the same node", async () => {
    const ctx = fakeContext({ nodes: 5, seed: 8 });
    const nemesis = killNemesis({ targets: ["any"] });
    const event = await nemesis.start(ctx);
    const { node } = event.value as KillValue;
    expect(event.f).toBe("kill");
    expect([...ctx.cluster.killed]).toEqual([node]);
    expect(await nemesis.stop(ctx)).toEqual({ f: "start", value: { nodes: [node] } });
    expect(ctx.cluster.killed.size).toBe(0);
    expect(ctx.cluster.callsOf("start").map((c) => c.args[0])).toEqual([node]);
  });

  it("kills the leader when asked, and fails when no leader answers", async () => {
    const ctx = fakeContext({ leader: "zk3" });
    const nemesis = killNemesis({ targets: ["leader"] });
    expect((await nemesis.start(ctx)).value).toEqual({ node: "zk3", target: "leader" });
    await expect(nemesis.start(ctx)).rejects.toThrow(/no server answers as leader/);
    expect(ctx.cluster.callsOf("kill")).toHaveLength(1);
  });

  it("heal restarts everything it killed, once", async () => {
    const ctx = fakeContext({ nodes: 5 });
    const nemesis = killNemesis({ targets: ["any"] });
    await nemesis.start(ctx);
    await nemesis.start(ctx);
    expect(ctx.cluster.killed.size).toBe(2);
    await nemesis.heal(ctx);
    await nemesis.heal(ctx);
    expect(ctx.cluster.killed.size).toBe(0);
    expect(ctx.cluster.callsOf("start")).toHaveLength(2);
  });

  it("heal after a failed kill never throws", async () => {
    const ctx = fakeContext();
    const nemesis = killNemesis();
    ctx.cluster.failNext("kill");
    await expect(nemesis.start(ctx)).rejects.toThrow(/injected/);
    await expect(nemesis.heal(ctx)).resolves.toBeUndefined();
    expect(ctx.cluster.killed.size).toBe(0);
  });

  it("same seed, same victims", async () => {
    const run = async (): Promise<unknown[]> => {
      const ctx = fakeContext({ nodes: 5, seed: 77 });
      const nemesis = killNemesis();
      const out: unknown[] = [];
      for (let i = 0; i < 10; i++) {
        out.push((await nemesis.start(ctx)).value);
        await nemesis.stop(ctx);
      }
      return out;
    };
    expect(await run()).toEqual(await run());
  });

  it("needs a killable cluster", async () => {
    await expect(killNemesis().start(bareContext())).rejects.toThrow(/kill servers/);
    await expect(killNemesis().heal(bareContext())).resolves.toBeUndefined();
  });
});
