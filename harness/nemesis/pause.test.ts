import { describe, expect, it } from "vitest";
import { bareContext, fakeContext } from "./testing/fake-cluster.ts";
import { pauseNemesis, type PauseValue } from "./pause.ts";

describe("pause nemesis", () => {
  it("pauses one server and stop unpauses the same one", async () => {
    const ctx = fakeContext({ nodes: 5, seed: 4 });
    const nemesis = pauseNemesis({ targets: ["any"] });
    const event = await nemesis.start(ctx);
    const { node } = event.value as PauseValue;
    expect(event.f).toBe("pause");
    expect([...ctx.cluster.paused]).toEqual([node]);
    expect(await nemesis.stop(ctx)).toEqual({ f: "resume", value: { nodes: [node] } });
    expect(ctx.cluster.paused.size).toBe(0);
    expect(ctx.cluster.callsOf("unpause").map((c) => c.args[0])).toEqual([node]);
  });

  it("targets the current leader when asked", async () => {
    const ctx = fakeContext({ nodes: 3, leader: "zk2" });
    const event = await pauseNemesis({ targets: ["leader"] }).start(ctx);
    expect(event.value).toMatchObject({ node: "zk2", target: "leader" });
  });

  it("sizes short and long pauses against the session timeout and hands the duration to the runner", async () => {
    const ctx = fakeContext({ sessionTimeoutMs: 6000 });
    const short = await pauseNemesis({ durations: ["short"] }).start(ctx);
    expect(short.durationMs).toBe(3000);
    expect(short.value).toMatchObject({ duration: "short", durationMs: 3000 });
    const long = await pauseNemesis({ durations: ["long"] }).start(ctx);
    expect(long.durationMs).toBe(12000);
    expect(long.durationMs!).toBeGreaterThan(ctx.sessionTimeoutMs);
    expect(short.durationMs!).toBeLessThan(ctx.sessionTimeoutMs);
  });

  it("never pauses a server it already holds paused; heal unpauses all and is idempotent", async () => {
    const ctx = fakeContext({ nodes: 3 });
    const nemesis = pauseNemesis({ targets: ["any"] });
    for (let i = 0; i < 3; i++) await nemesis.start(ctx);
    expect(ctx.cluster.paused.size).toBe(3);
    await expect(nemesis.start(ctx)).rejects.toThrow(/already down/);
    await nemesis.heal(ctx);
    await nemesis.heal(ctx);
    expect(ctx.cluster.paused.size).toBe(0);
    expect(ctx.cluster.callsOf("unpause")).toHaveLength(3);
  });

  it("heal after a failed start is safe and never throws", async () => {
    const ctx = fakeContext();
    const nemesis = pauseNemesis();
    ctx.cluster.failNext("pause");
    await expect(nemesis.start(ctx)).rejects.toThrow(/injected/);
    await expect(nemesis.heal(ctx)).resolves.toBeUndefined();
    expect(ctx.cluster.paused.size).toBe(0);
  });

  it("a failed stop keeps the server for heal to retry", async () => {
    const ctx = fakeContext();
    const nemesis = pauseNemesis();
    await nemesis.start(ctx);
    ctx.cluster.failNext("unpause");
    await expect(nemesis.stop(ctx)).rejects.toThrow(/could not undo/);
    expect(ctx.cluster.paused.size).toBe(1);
    await nemesis.heal(ctx);
    expect(ctx.cluster.paused.size).toBe(0);
  });

  it("needs a pausable cluster", async () => {
    await expect(pauseNemesis().start(bareContext())).rejects.toThrow(/pause servers/);
  });
});
