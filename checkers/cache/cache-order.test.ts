import { describe, expect, it } from "vitest";
import { checkCacheOrder } from "./cache-order.ts";
import { CacheHistoryBuilder, children, data, event } from "./testing/cache-history.ts";

describe("cache-order", () => {
  it("valid: each read after the watch event it follows, zxids going up, across a new session", () => {
    const h = new CacheHistoryBuilder().journal(0, 1, [
      children(0.1, "s1", 5, ["a"]),
      data(0.2, "s1", "a", 5, 5),
      event(0.3, "s1", "a"),
      data(0.4, "s1", "a", 5, 7),
      event(0.5, "s1", null, "child"),
      children(0.6, "s1", 8, ["a", "b"]),
      data(0.7, "s2", "a", 5, 9),
    ]);
    expect(checkCacheOrder(h.ops)).toMatchObject({
      valid: true,
      clients: 1,
      checkedReads: 5,
      violationCount: 0,
    });
  });

  it("invalid: a read in a new session went back (a lagging server after the reconnect)", () => {
    const h = new CacheHistoryBuilder().journal(1, 1, [
      data(0.2, "s1", "a", 5, 9),
      data(0.4, "s2", "a", 5, 7, false),
    ]);
    const r = checkCacheOrder(h.ops);
    expect(r).toMatchObject({ valid: false, violationCount: 1 });
    expect(r.violations).toEqual([
      expect.objectContaining({ slot: 1, key: "a", kind: "went-back", seen: "5/7", before: "5/9" }),
    ]);
  });

  it("invalid: newer data (or the node gone) while the watch set on it has not fired", () => {
    const h = new CacheHistoryBuilder().journal(0, 1, [
      data(0.2, "s1", "a", 5, 5),
      data(0.3, "s1", "a", 5, 8, false),
      children(0.4, "s1", 5, ["a"]),
      children(0.5, "s1", 9, []),
    ]);
    const r = checkCacheOrder(h.ops);
    expect(r.violationCount).toBe(2);
    expect((r.violations as { kind: string; key: string | null }[]).map((v) => [v.kind, v.key])).toEqual([
      ["data-before-event", "a"],
      ["data-before-event", null],
    ]);
  });

  it("a watch of an old session does not bind the new one; no cache ops is unknown", () => {
    const h = new CacheHistoryBuilder().journal(0, 1, [
      data(0.2, "s1", "a", 5, 5),
      data(0.3, "s2", "a", 5, 8),
    ]);
    expect(checkCacheOrder(h.ops).valid).toBe(true);
    expect(checkCacheOrder([]).valid).toBe("unknown");
  });

  it("an event handed over after a read was sent may be for the watch that read set: that read arms nothing", () => {
    const armed = { ...children(3.036, "s1", 946, ["a"]), t0: 3.015e9 };
    const h = new CacheHistoryBuilder().journal(0, 4, [
      children(2.95, "s1", 943, ["a"]),
      event(3.014, "s1", null, "child"),
      event(3.034, "s1", null, "child"),
      armed,
      children(3.039, "s1", 947, ["a"]),
    ]);
    expect(checkCacheOrder(h.ops)).toMatchObject({ valid: true });
    const sentAfter = { ...armed, t0: 3.035e9 };
    const bad = new CacheHistoryBuilder().journal(0, 4, [
      event(3.034, "s1", null, "child"),
      sentAfter,
      children(3.039, "s1", 947, ["a"]),
    ]);
    expect(checkCacheOrder(bad.ops)).toMatchObject({ valid: false, violationCount: 1 });
  });
});
