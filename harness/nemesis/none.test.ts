import { describe, expect, it } from "vitest";
import { fakeContext } from "./testing/fake-cluster.ts";
import { noneNemesis } from "./none.ts";

describe("none nemesis", () => {
  it("records null events and touches nothing", async () => {
    const ctx = fakeContext();
    const nemesis = noneNemesis();
    expect(await nemesis.start(ctx)).toEqual({ f: "start-none", value: null });
    expect(await nemesis.stop(ctx)).toEqual({ f: "stop-none", value: null });
    await nemesis.heal(ctx);
    expect(ctx.cluster.calls).toEqual([]);
    expect(ctx.clients.calls).toEqual([]);
  });
});
