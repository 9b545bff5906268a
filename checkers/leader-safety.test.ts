import { describe, expect, it } from "vitest";
import type { Op } from "../kernel/op.ts";
import { checkLeaderSafety, checkLeaderSafetyInZooKeeper, leaderSafety } from "./leader-safety.ts";
import type { ResourceEvent } from "../kernel/resource.ts";

const w = (time: number, holder: string, extra: Partial<ResourceEvent> = {}): ResourceEvent => ({
  time,
  holder,
  op: "write",
  accepted: true,
  ...extra,
});

describe("leader-safety", () => {
  it("valid when leaders succeed each other cleanly", () => {
    expect(
      checkLeaderSafety([w(1, "a", { epoch: 1 }), w(2, "a", { epoch: 1 }), w(3, "b", { epoch: 2 })]),
    ).toMatchObject({
      valid: true,
      leaders: 2,
    });
  });

  it("a deposed leader writing after its successor's first write is caught", () => {
    const r = checkLeaderSafety([w(1, "a"), w(3, "b"), w(4, "a")]);
    expect(r.valid).toBe(false);
    expect(r.staleWrites).toEqual([{ time: 4, holder: "a", successor: "b", successorFirstWrite: 3 }]);
  });

  it("a deposed leader's first write, landing after a later epoch's, is caught and does not rank as a leader", () => {
    const r = checkLeaderSafety([
      w(1, "a", { epoch: 1 }),
      w(2, "c", { epoch: 3 }),
      w(3, "b", { epoch: 2 }), // b led between a and c; its only write arrives late
      w(4, "c", { epoch: 3 }),
    ]);
    expect(r.valid).toBe(false);
    expect(r.staleWriteCount).toBe(1);
    expect(r.staleWrites).toEqual([
      { time: 3, holder: "b", epoch: 2, successor: "c", successorFirstWrite: 2 },
    ]);
    expect(r.leaders).toBe(2);
  });

  it("two leaders in one epoch are caught", () => {
    const r = checkLeaderSafety([w(1, "a", { epoch: 5 }), w(2, "b", { epoch: 5 })]);
    expect(r.valid).toBe(false);
    expect(r.sharedEpochs).toEqual([{ epoch: "5", holders: { a: 1, b: 1 } }]);
  });

  it("rejected writes (guarded or fenced) do not count", () => {
    expect(checkLeaderSafety([w(1, "a"), w(3, "b"), w(4, "a", { accepted: false })]).valid).toBe(true);
  });

  it("the same holder re-elected in a new epoch is a new tenure", () => {
    expect(
      checkLeaderSafety([w(1, "a", { epoch: 1 }), w(2, "b", { epoch: 2 }), w(3, "a", { epoch: 3 })]).valid,
    ).toBe(true);
  });

  it("is a Checker", async () => {
    expect((await leaderSafety([]).check([])).valid).toBe(true);
  });
});

describe("leader safety in ZooKeeper's order", () => {
  const w = (index: number, holder: string, epoch: string, mzxid: string, type: Op["type"] = "ok"): Op => ({
    index,
    time: index, // arrival order, deliberately unlike the mzxid order
    type,
    process: 0,
    f: "write",
    value: { holder, epoch, mzxid, entry: index },
  });

  it("ranks committed writes by mzxid, not by when their replies arrived", () => {
    const history = [w(0, "a", "1", "10"), w(1, "b", "2", "20"), w(2, "a", "1", "15")];
    expect(checkLeaderSafetyInZooKeeper(history)).toMatchObject({ valid: true, leaders: 2, order: "mzxid" });
  });

  it("finds a deposed leader's write committed after its successor's first", () => {
    const history = [w(0, "a", "1", "10"), w(1, "b", "2", "20"), w(2, "a", "1", "30")];
    expect(checkLeaderSafetyInZooKeeper(history)).toMatchObject({ valid: false, staleWriteCount: 1 });
  });

  it("leaves out writes of unknown outcome and ops without an mzxid", () => {
    const history = [
      w(0, "a", "1", "10"),
      w(1, "b", "2", "20"),
      w(2, "a", "1", "30", "info"),
      { index: 3, time: 3, type: "ok", process: 1, f: "write", value: { entry: 1 } } as Op,
    ];
    expect(checkLeaderSafetyInZooKeeper(history)).toMatchObject({ valid: true, accepted: 2 });
  });
});
