import { describe, expect, it } from "vitest";
import { BadInputError } from "../../kernel/errors.ts";
import { fakeContext } from "./testing/fake-cluster.ts";
import { isNemesisName, nemesisByName, NEMESIS_NAMES } from "./registry.ts";

describe("nemesis registry", () => {
  it("knows the eight nemeses by name, each a fresh instance", () => {
    expect([...NEMESIS_NAMES].sort()).toEqual([
      "client-pause",
      "kill",
      "lagging-follower",
      "latency",
      "lost-replies",
      "none",
      "partition",
      "pause",
    ]);
    for (const name of NEMESIS_NAMES) expect(nemesisByName(name).name).toBe(name);
    expect(nemesisByName("kill")).not.toBe(nemesisByName("kill"));
    expect(isNemesisName("partition")).toBe(true);
    expect(isNemesisName("toString")).toBe(false);
  });

  it("rejects an unknown name with a BadInputError listing the valid ones", () => {
    const attempt = (): unknown => nemesisByName("partiton");
    expect(attempt).toThrow(BadInputError);
    expect(attempt).toThrow(
      /unknown nemesis "partiton"; valid: partition, latency, pause, kill, client-pause, lost-replies, lagging-follower, none/,
    );
  });

  it("passes typed options through, and rejects bad ones as bad input", async () => {
    const ctx = fakeContext({ leader: "zk2" });
    const event = await nemesisByName("partition", { shapes: ["isolate-leader"] }).start(ctx);
    expect(event.value).toMatchObject({ leader: "zk2" });
    const bad: [string, object][] = [
      ["partition", { shapes: ["triangle"] }],
      ["partition", { shapes: [] }],
      ["latency", { latencyMs: -1 }],
      ["latency", { links: "everything" }],
      ["latency", { shapes: ["halves"] }],
      ["pause", { durations: ["forever"] }],
      ["kill", { targets: ["follower"] }],
      ["client-pause", { sessionTimeouts: Number.NaN }],
      ["none", { anything: 1 }],
    ];
    for (const [name, options] of bad)
      expect(() => nemesisByName(name, options), name).toThrow(BadInputError);
  });
});
