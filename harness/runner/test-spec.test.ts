import { describe, expect, it } from "vitest";
import { BadInputError } from "../../kernel/errors.ts";
import { validateSpec } from "./test-spec.ts";

const variants = ["plain", "sync"];

describe("validateSpec", () => {
  it("fills defaults and a random seed, and keeps a given seed", () => {
    const s = validateSpec({}, variants);
    expect(s).toMatchObject({ workload: "lock", variant: "plain", nodes: 3, clients: 5, timeLimit: 60 });
    expect(s.nemesis).toEqual(["partition", "client-pause"]);
    expect(s.target).toBe("auto");
    expect(s).toMatchObject({ zkVersion: "3.8", observers: 0 });
    expect(validateSpec({ zkVersion: "3.4", observers: 2 }, variants)).toMatchObject({
      zkVersion: "3.4",
      observers: 2,
    });
    expect(validateSpec({ nemesis: "partition + client-pause,kill" }, variants).nemesis).toEqual([
      "partition+client-pause",
      "kill",
    ]);
    expect(Number.isInteger(s.seed)).toBe(true);
    expect(validateSpec({ seed: 42, nemesis: "kill,pause" }, variants)).toMatchObject({
      seed: 42,
      nemesis: ["kill", "pause"],
    });
  });

  it.each([
    [{ nodes: 7 }, /--nodes must be a whole number from 3 to 5/],
    [{ nemesis: "partition,flood" }, /unknown nemesis 'flood'/],
    [{ variant: "fast" }, /has no variant 'fast'/],
    [{ client: "curator" }, /--client must be one of/],
    [{ partitionMode: "drop" }, /--partition-mode must be blackhole or refuse/],
    [{ timeLimit: 0 }, /--time-limit must be a number/],
    [
      { target: "everyone" },
      /--target must be one of random, holder, leader, inflight, auto, got 'everyone'/,
    ],
    [{ nemesis: "partition+flood" }, /unknown nemesis 'flood'/],
    [{ nemesis: "none+kill" }, /'none' cannot be composed/],
    [{ nemesis: "kill+kill" }, /a fault appears twice/],
    [{ zkVersion: "3.5" }, /--zk-version must be one of 3.4, 3.8, 3.9, got '3.5'/],
    [{ zkVersion: 3.4 }, /--zk-version must be one of/],
    [{ observers: 5 }, /--observers must be a whole number from 0 to 4/],
    [{ afterHealBoundMs: 500 }, /--after-heal-bound must be a whole number from 1000 to 3600000, got '500'/],
    [
      { nemesis: "lagging-follower:lag=2s" },
      /lagging-follower nemesis: lagMs \+ jitterMs must be at most 1000 \(half of \(syncLimit 5 − 1\) × tickTime 500 ms, or the follower leaves the quorum\), got 2000 \+ 100/,
    ],
    [{ nemesis: "partition,lagging-follower", tickTimeMs: 200 }, /must be at most 400 .* got 500 \+ 100/],
  ])("rejects %o with one clear line", (raw, message) => {
    expect(() => validateSpec(raw as never, variants)).toThrow(BadInputError);
    expect(() => validateSpec(raw as never, variants)).toThrow(message);
  });

  it("lets a follower lag as much as the ensemble's tick time allows", () => {
    expect(validateSpec({ nemesis: "lagging-follower:lag=900ms" }, variants).nemesis).toEqual([
      "lagging-follower:lag=900ms",
    ]);
    expect(
      validateSpec({ nemesis: "lagging-follower:lag=1800ms,jitter=200ms", tickTimeMs: 1000 }, variants)
        .nemesis,
    ).toEqual(["lagging-follower:lag=1800ms,jitter=200ms"]);
  });
});
