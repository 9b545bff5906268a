import { describe, expect, it } from "vitest";
import { checkSessionOrder, sessionOrder, withSessionOrder } from "./session-order.ts";
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

  it("compares a node's mzxid only with the same session's zxids of that node", () => {
    const h = history(
      [0, "ok", "read", 1, 10, { session: "s", zxid: "0x10", zxidPath: "/a", node: "zk1" }],
      [0, "ok", "read", 1, 20, { session: "s", zxid: "0x5", zxidPath: "/b", node: "zk1" }],
      [0, "ok", "read", 1, 30, { session: "s", zxid: "0x7", zxidPath: "/a", node: "zk3" }],
    );
    const r = checkSessionOrder(h);
    expect(r).toMatchObject({ valid: false, sessions: 1, checkedOps: 3, violationCount: 1 });
    expect((r.violations as unknown[])[0]).toMatchObject({
      session: "s",
      path: "/a",
      index: 2,
      zxid: 7,
      node: "zk3",
      previousZxid: 16,
      previousNode: "zk1",
    });
  });

  it("is added to every workload's checkers once", () => {
    const other = { name: "x", check: () => ({ valid: true }) };
    expect(withSessionOrder([other]).map((c) => c.name)).toEqual(["x", "session-order"]);
    expect(withSessionOrder([sessionOrder, other]).map((c) => c.name)).toEqual(["session-order", "x"]);
  });

  it("is a Checker", async () => {
    expect((await sessionOrder.check([])).valid).toBe(true);
  });
});
