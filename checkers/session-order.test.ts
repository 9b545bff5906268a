import { describe, expect, it } from "vitest";
import { checkSessionOrder, sessionOrder } from "./session-order.ts";
import { history } from "./testing/history.ts";

describe("session-order", () => {
  it("valid when each session's zxids go up", () => {
    const h = history(
      [0, "ok", "read", 1, 10, { session: "0x1", zxid: "0x100000001", node: "zk1" }],
      [1, "ok", "read", 1, 20, { session: "0x2", zxid: 5 }],
      [0, "ok", "read", 1, 30, { session: "0x1", zxid: "0x100000002", node: "zk2" }],
    );
    expect(checkSessionOrder(h)).toMatchObject({ valid: true, sessions: 2, checkedOps: 3 });
  });

  it("catches a session that went back in time after reconnecting", () => {
    const h = history(
      [0, "ok", "read", 1, 10, { session: "0x1", zxid: 9, node: "zk1" }],
      [0, "ok", "read", 1, 20, { session: "0x1", zxid: 7, node: "zk3" }],
      [0, "ok", "read", 1, 30, { session: "0x1", zxid: 8, node: "zk3" }],
    );
    const r = checkSessionOrder(h);
    expect(r.valid).toBe(false);
    expect(r.violationCount).toBe(2); // both stay below the high-water mark 9
    expect((r.violations as unknown[])[0]).toMatchObject({
      session: "0x1",
      zxid: 7,
      node: "zk3",
      previousZxid: 9,
      previousNode: "zk1",
    });
  });

  it("reads zxids from the value too, and ignores ops without one", () => {
    const h = history(
      [0, "ok", "read", { zxid: 3 }, 10, { session: "s" }],
      [0, "ok", "read", 5, 20, { session: "s" }],
    );
    expect(checkSessionOrder(h)).toMatchObject({ valid: true, checkedOps: 1 });
  });

  it("judges by completion time, not file order", () => {
    const h = history(
      [0, "ok", "read", 1, 20, { session: "s", zxid: 2 }],
      [0, "ok", "read", 1, 10, { session: "s", zxid: 1 }],
    );
    expect(checkSessionOrder(h).valid).toBe(true);
  });

  it("is a Checker", async () => {
    expect((await sessionOrder.check([])).valid).toBe(true);
  });
});
