import { describe, expect, it } from "vitest";
import { history, mark, seq } from "./testing/history.ts";
import { checkTotalQueue, totalQueue } from "./total-queue.ts";

describe("total-queue", () => {
  it("valid when every acknowledged enqueue comes out once", () => {
    const h = history(
      ...seq(0, "enqueue", "a", "ok"),
      ...seq(1, "enqueue", "b", "ok"),
      ...seq(2, "dequeue", null, "ok", "a"),
      ...seq(2, "drain", null, "ok", ["b"]),
    );
    expect(checkTotalQueue(h)).toMatchObject({
      valid: true,
      lostCount: 0,
      acknowledgedCount: 2,
      dequeuedCount: 2,
    });
  });

  it("reports lost, duplicated and unexpected values", () => {
    const h = history(
      ...seq(0, "enqueue", "a", "ok"),
      ...seq(0, "enqueue", "b", "ok"),
      ...seq(1, "dequeue", null, "ok", "b"),
      ...seq(1, "dequeue", null, "ok", "b"),
      ...seq(1, "drain", null, "ok", ["zz"]),
    );
    const r = checkTotalQueue(h);
    expect(r).toMatchObject({
      valid: false,
      lost: ["a"],
      duplicated: [{ value: "b", count: 2 }],
      unexpected: ["zz"],
    });
  });

  it("an info enqueue that shows up is recovered, not lost or unexpected", () => {
    const h = history(
      [0, "invoke", "enqueue", 7],
      [0, "info", "enqueue", 7],
      ...seq(1, "drain", null, "ok", [7]),
    );
    expect(checkTotalQueue(h)).toMatchObject({ valid: true, recovered: [7], recoveredCount: 1 });
  });

  it("an info enqueue that never shows up is fine", () => {
    const h = history(
      [0, "invoke", "enqueue", 7],
      [0, "info", "enqueue", 7],
      ...seq(1, "drain", null, "ok", []),
    );
    expect(checkTotalQueue(h).valid).toBe(true);
  });

  it("a failed enqueue that shows up is unexpected (fail = did not happen)", () => {
    const h = history(...seq(0, "enqueue", 7, "fail"), ...seq(1, "drain", null, "ok", [7]));
    expect(checkTotalQueue(h)).toMatchObject({ valid: false, unexpected: [7] });
  });

  it("retried creates (the naive queue bug) show as duplicates", () => {
    const h = history(
      [0, "invoke", "enqueue", { id: 1 }],
      [0, "info", "enqueue", { id: 1 }],
      ...seq(1, "enqueue", { id: 1 }, "ok"),
      ...seq(2, "drain", null, "ok", [{ id: 1 }, { id: 1 }]),
    );
    expect(checkTotalQueue(h)).toMatchObject({ valid: false, duplicatedCount: 1 });
  });

  describe("on a history cut before its final drain", () => {
    const main = [...mark("main"), ...seq(0, "enqueue", "a", "ok"), ...seq(0, "enqueue", "b", "ok")];

    it("an element not yet dequeued is undrained, not lost: unknown, with the reason", () => {
      const r = checkTotalQueue(history(...main, ...seq(1, "dequeue", null, "ok", "a")));
      expect(r).toMatchObject({
        valid: "unknown",
        lostCount: 0,
        lost: [],
        undrainedCount: 1,
        undrained: ["b"],
        cut: "the final phase never ran",
      });
      expect(r.reason).toBe(
        "history cut before the final phase (the final phase never ran): 1 acknowledged item not dequeued by then, not judged lost",
      );
    });

    it("the same history with its final phase done is invalid (lost)", () => {
      const whole = history(
        ...main,
        ...mark("final"),
        ...seq(1, "drain", null, "ok", ["a"]),
        ...mark("done"),
      );
      expect(checkTotalQueue(whole)).toMatchObject({ valid: false, lostCount: 1, lost: ["b"] });
      expect(checkTotalQueue(whole)).not.toHaveProperty("cut");
    });

    it("a drain that did not finish explains nothing else either", () => {
      const h = history(...main, ...mark("final"), [1, "invoke", "drain", null]);
      expect(checkTotalQueue(h)).toMatchObject({
        valid: "unknown",
        undrainedCount: 2,
        cut: "the final phase did not finish",
      });
    });

    it("a duplicate is still invalid", () => {
      const h = history(
        ...main,
        ...seq(1, "dequeue", null, "ok", "a"),
        ...seq(2, "dequeue", null, "ok", "a"),
      );
      const r = checkTotalQueue(h);
      expect(r).toMatchObject({ valid: false, duplicatedCount: 1, undrainedCount: 1, lostCount: 0 });
      expect(r).not.toHaveProperty("reason");
    });

    it("an unexpected element is still invalid", () => {
      expect(checkTotalQueue(history(...main, ...seq(1, "dequeue", null, "ok", "zz")))).toMatchObject({
        valid: false,
        unexpected: ["zz"],
      });
    });

    it("nothing missing: valid although cut", () => {
      const h = history(
        ...main,
        ...seq(1, "dequeue", null, "ok", "a"),
        ...seq(1, "dequeue", null, "ok", "b"),
      );
      expect(checkTotalQueue(h)).toMatchObject({ valid: true, undrainedCount: 0 });
    });
  });

  it("is a Checker", async () => {
    expect(totalQueue.name).toBe("total-queue");
    expect((await totalQueue.check([])).valid).toBe(true);
  });
});
