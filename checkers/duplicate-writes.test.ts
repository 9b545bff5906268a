import { describe, expect, it } from "vitest";
import { checkDuplicateWrites, duplicateWrites } from "./duplicate-writes.ts";
import type { ResourceEvent } from "../kernel/resource.ts";
import { history, mark, seq } from "./testing/history.ts";

const applied = (...ids: (string | number)[]): ResourceEvent[] =>
  ids.map((id, i) => ({ time: i, holder: "sink", op: "write", accepted: true, id }));

describe("duplicate-writes", () => {
  const h = history(...seq(0, "export", { id: "e1" }, "ok"), ...seq(1, "export", { id: "e2" }, "ok"));

  it("valid when each acknowledged event is applied once", () => {
    expect(checkDuplicateWrites(h, applied("e1", "e2"))).toMatchObject({ valid: true, appliedCount: 2 });
  });

  it("an event applied twice is a duplicate", () => {
    expect(checkDuplicateWrites(h, applied("e1", "e2", "e1"))).toMatchObject({
      valid: false,
      duplicated: [{ id: "e1", count: 2 }],
    });
  });

  it("an acknowledged event never applied is lost", () => {
    expect(checkDuplicateWrites(h, applied("e1"))).toMatchObject({ valid: false, lost: ["e2"] });
  });

  it("rejected applications do not count", () => {
    const r: ResourceEvent[] = [
      ...applied("e1", "e2"),
      { time: 9, holder: "old", op: "write", accepted: false, id: "e1" },
    ];
    expect(checkDuplicateWrites(h, r).valid).toBe(true);
  });

  it("a repeat an idempotent sink acknowledged but did not apply is not a duplicate", () => {
    const r: ResourceEvent[] = [
      ...applied("e1", "e2"),
      { time: 9, holder: "b", op: "write", accepted: true, applied: false, id: "e1" },
    ];
    expect(checkDuplicateWrites(h, r).valid).toBe(true);
  });

  it("info writes may or may not arrive; failed ones must not", () => {
    const hi = history(
      [0, "invoke", "export", "e3"],
      [0, "info", "export", "e3"],
      ...seq(1, "export", "e4", "fail"),
    );
    expect(checkDuplicateWrites(hi, applied("e3"))).toMatchObject({ valid: true, recovered: ["e3"] });
    expect(checkDuplicateWrites(hi, applied())).toMatchObject({ valid: true });
    expect(checkDuplicateWrites(hi, applied("e4"))).toMatchObject({ valid: false, unexpected: ["e4"] });
  });

  describe("on a history cut before its final phase", () => {
    const writes = [...seq(0, "export", { id: "e1" }, "ok"), ...seq(1, "export", { id: "e2" }, "ok")];
    const cut = history(...mark("main"), ...writes);

    it("an acknowledged write not yet applied is unapplied, not lost: unknown, with the reason", () => {
      const r = checkDuplicateWrites(cut, applied("e1"));
      expect(r).toMatchObject({
        valid: "unknown",
        lostCount: 0,
        unappliedCount: 1,
        unapplied: ["e2"],
        cut: "the final phase never ran",
      });
      expect(r.reason).toBe(
        "history cut before the final phase (the final phase never ran): 1 acknowledged write not applied by then, not judged lost",
      );
    });

    it("the same writes with the final phase done: lost, invalid", () => {
      const whole = history(...mark("main"), ...writes, ...mark("final"), ...mark("done"));
      expect(checkDuplicateWrites(whole, applied("e1"))).toMatchObject({ valid: false, lost: ["e2"] });
    });

    it("a write applied twice is still invalid", () => {
      const r = checkDuplicateWrites(cut, applied("e1", "e1"));
      expect(r).toMatchObject({ valid: false, duplicatedCount: 1, unappliedCount: 1, lostCount: 0 });
      expect(r).not.toHaveProperty("reason");
    });

    it("everything applied: valid although cut", () => {
      expect(checkDuplicateWrites(cut, applied("e1", "e2"))).toMatchObject({
        valid: true,
        unappliedCount: 0,
      });
    });
  });

  it("is a Checker over a fixed resource log", async () => {
    expect((await duplicateWrites(applied("e1", "e2")).check(h)).valid).toBe(true);
  });
});
