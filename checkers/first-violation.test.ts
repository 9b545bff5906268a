import { describe, expect, it } from "vitest";
import { firstViolationSeconds, firstViolationTime } from "./first-violation.ts";

const s = 1e9;

describe("time to the first violation", () => {
  it("is the earliest moment any checker's evidence points at", () => {
    const checkers = {
      "lock-safety": { valid: false, overlaps: [{ b: { start: 9 * s } }, { b: { start: 14 * s } }] },
      "lost-updates": { valid: false, lostUpdates: [{ time: 7 * s }] },
      "leader-safety": { valid: true, staleWrites: [] },
      linearizable: { valid: false, evidence: { failedOp: { start: 12 * s } } },
    };
    expect(firstViolationTime(checkers, [], [])).toBe(7 * s);
  });

  it("is the first cache copy found without an acknowledged write, or unlike the truth, or a read out of order", () => {
    const checkers = {
      "missed-updates": { valid: false, missed: [{ staleAt: 21 * s }, { staleAt: 25 * s }] },
      "cache-convergence": { valid: false, diverged: [{ time: 70 * s }] },
      "cache-order": { valid: true, violations: [] },
    };
    expect(firstViolationTime(checkers, [], [])).toBe(21 * s);
    expect(
      firstViolationTime({ "cache-order": { valid: false, violations: [{ time: 3 * s }] } }, [], []),
    ).toBe(3 * s);
  });

  it("finds a queue item's second dequeue and an event's second application at the sink", () => {
    const history = [
      { time: 2 * s, type: "ok", f: "dequeue", value: 5 },
      { time: 3 * s, type: "ok", f: "dequeue", value: 6 },
      { time: 8 * s, type: "ok", f: "drain", value: [7, 5] },
    ];
    expect(
      firstViolationTime({ "total-queue": { valid: false, duplicated: [{ value: 5 }] } }, history, []),
    ).toBe(8 * s);
    const resource = [
      { time: 1 * s, accepted: true, id: "e1" },
      { time: 2 * s, accepted: true, id: "e1", applied: false },
      { time: 4 * s, accepted: true, id: "e1" },
    ];
    expect(firstViolationTime({ "duplicate-writes": { valid: false } }, [], resource)).toBe(4 * s);
  });

  it("after the heal: the bound passing with no progress, or the listing that showed a leak", () => {
    const stuck = {
      valid: false,
      deadline: 50 * s,
      stuckAt: 50 * s,
      progress: { withinBound: false },
      ephemerals: {},
    };
    expect(firstViolationTime({ "after-heal": stuck }, [], [])).toBe(50 * s);
    const leaked = {
      valid: false,
      deadline: 50 * s,
      progress: { withinBound: true },
      ephemerals: { leaked: [{ listedAt: 33 * s }] },
    };
    expect(firstViolationTime({ "after-heal": leaked }, [], [])).toBe(33 * s);
    expect(firstViolationTime({ "after-heal": { ...stuck, valid: true } }, [], [])).toBeNull();
  });

  it("is null when no evidence names a moment, and counts seconds from the first client op", () => {
    expect(firstViolationTime({ "lock-safety": { valid: true, overlaps: [] } }, [], [])).toBeNull();
    expect(firstViolationSeconds(null, 0)).toBeNull();
    expect(firstViolationSeconds(12_345_000_000, 2_000_000_000)).toBe(10.3);
  });
});
