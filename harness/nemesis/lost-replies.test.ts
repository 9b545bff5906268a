import { describe, expect, it } from "vitest";
import { fakeContext } from "./testing/fake-cluster.ts";
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
