import { describe, expect, it } from "vitest";
import { checkLockSafety, lockSafety } from "./lock-safety.ts";
import type { ResourceEvent } from "../kernel/resource.ts";

const ev = (time: number, holder: string, extra: Partial<ResourceEvent> = {}): ResourceEvent => ({
  time,
  holder,
  op: "write",
  accepted: true,
  ...extra,
});

describe("lock-safety", () => {
  it("valid when critical sections take turns", () => {
    const log = [
      ev(1, "a", { token: 10 }),
      ev(2, "a", { token: 10 }),
      ev(3, "b", { token: 11 }),
      ev(4, "b", { token: 11 }),
    ];
    expect(checkLockSafety(log)).toMatchObject({ valid: true, sections: 2 });
  });

  it("naive lock: a paused holder writes inside its successor's section", () => {
    const log = [
      ev(1, "a", { op: "enter" }),
      ev(2, "a"),
      ev(3, "b", { op: "enter" }),
      ev(4, "b"),
      ev(5, "a"), // a woke up from its pause and still thinks it holds the lock
      ev(6, "b", { op: "exit" }),
    ];
    const r = checkLockSafety(log);
    expect(r.valid).toBe(false);
    expect(r.overlapCount).toBe(1);
    expect(r.overlaps).toMatchObject([{ a: { holder: "a" }, b: { holder: "b" } }]);
  });

  it("fenced lock: the stale write is rejected, so nothing overlaps", () => {
    const log = [
      ev(1, "a", { token: 10 }),
      ev(3, "b", { token: 11 }),
      ev(5, "a", { token: 10, accepted: false }),
      ev(6, "b", { token: 11 }),
    ];
    expect(checkLockSafety(log)).toMatchObject({ valid: true, rejected: 1, fencedEvents: 3 });
  });

  it("a resource that accepts a lower token is caught", () => {
    const log = [ev(1, "a", { token: "0x10" }), ev(5, "b", { token: "0x11" }), ev(7, "a", { token: "0x10" })];
    const r = checkLockSafety(log);
    expect(r.valid).toBe(false);
    expect(r.tokenRegressions).toMatchObject([{ holder: "a", token: 16, previous: 17, previousHolder: "b" }]);
  });

  it("sections by section id; the same holder may hold twice", () => {
    const log = [ev(1, "a", { section: 1 }), ev(2, "b", { section: 2 }), ev(3, "a", { section: 3 })];
    expect(checkLockSafety(log).valid).toBe(true);
  });

  it("is a Checker", async () => {
    expect((await lockSafety([]).check([])).valid).toBe(true);
  });
});
