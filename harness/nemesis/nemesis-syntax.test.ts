import { describe, expect, it } from "vitest";
import { BadInputError } from "../../kernel/errors.ts";
import { entryText, parseDurationMs, parseNemesisEntry, parseNemesisText } from "./nemesis-syntax.ts";

describe("parseNemesisText", () => {
  it("reads entries, composed parts and their options", () => {
    const groups = parseNemesisText(
      "partition:shape=halves/bridge,mode=refuse+client-pause:duration=8s,latency:latency=250ms,jitter=1s,kill",
    );
    expect(groups.map(entryText)).toEqual([
      "partition:shape=halves/bridge,mode=refuse+client-pause:duration=8s",
      "latency:latency=250ms,jitter=1s",
      "kill",
    ]);
    expect(groups[0]![0]!.options).toEqual({ shapes: ["halves", "bridge"], mode: "refuse" });
    expect(groups[0]![1]!.options).toEqual({ durationMs: 8000 });
    expect(groups[1]![0]!.options).toEqual({ latencyMs: 250, jitterMs: 1000 });
    expect(groups[2]![0]!.options).toEqual({});
  });

  it("reads back what it wrote (a stored spec entry)", () => {
    const [entry] = parseNemesisText("pause:target=leader,duration=long+lost-replies:scope=all-nodes");
    const again = parseNemesisEntry(entryText(entry!));
    expect(again).toEqual(entry);
  });

  it.each([
    ["partition:shape=square", /partition:shape must be one of isolate-one, .*, got 'square'/],
    ["partition:colour=red", /partition has no option 'colour' \(options: shape, mode\)/],
    ["none:x=1", /none has no option 'x' \(it takes none\)/],
    ["client-pause:duration=soon", /client-pause:duration must be a duration like 500ms or 8s/],
    ["client-pause:mode=loud", /client-pause:mode must be one of signal, network/],
    ["shape=halves", /'shape=halves' is an option; write it after its fault and a colon/],
    ["partition+shape=halves", /'shape=halves' is an option/],
    ["partition:", /options after 'partition:' are key=value/],
    ["partition:shape=", /partition:shape needs a value/],
    ["partition,,kill", /has an empty entry/],
    ["flood", /unknown nemesis 'flood'/],
    ["none+kill", /'none' cannot be composed/],
    ["lagging-follower:lag=0ms", /lagging-follower:lag must be longer than 0/],
    ["kill+kill:target=leader", /a fault appears twice/],
    ["", /needs a comma list of faults/],
  ])("%s: one BadInputError line", (text, message) => {
    let err: unknown;
    try {
      parseNemesisText(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain("\n");
  });
});

describe("parseDurationMs", () => {
  it("takes ms, s and bare ms", () => {
    expect(parseDurationMs("250ms", "x")).toBe(250);
    expect(parseDurationMs("1.5s", "x")).toBe(1500);
    expect(parseDurationMs("40", "x")).toBe(40);
    expect(() => parseDurationMs("0s", "x")).toThrow(BadInputError);
    expect(() => parseDurationMs("-1s", "x")).toThrow(BadInputError);
  });
});
