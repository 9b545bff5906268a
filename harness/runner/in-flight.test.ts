import { describe, expect, it } from "vitest";
import { InFlightWrites } from "./in-flight.ts";

describe("InFlightWrites", () => {
  it("holds writes between invoke and reply, with the server the slot's session was last on", () => {
    const t = new InFlightWrites(new Set(["read"]));
    t.begin(0, "create");
    expect(t.writes()).toEqual([{ slot: 0, f: "create" }]); // no server seen yet
    t.end(0, "zk2");
    expect(t.writes()).toEqual([]);
    t.begin(0, "create");
    t.begin(1, "read");
    expect(t.writes()).toEqual([{ slot: 0, f: "create", node: "zk2" }]);
    t.end(0, undefined); // a reply without a server keeps the last one known
    t.begin(0, "delete");
    expect(t.writes()).toEqual([{ slot: 0, f: "delete", node: "zk2" }]);
  });

  it("nextWrite resolves with the next write invoked, null after its timeout or on close", async () => {
    const t = new InFlightWrites(new Set(["read"]));
    const next = t.nextWrite(10_000);
    t.begin(2, "read");
    t.begin(3, "set");
    expect(await next).toEqual({ slot: 3, f: "set" });
    expect(await t.nextWrite(5)).toBeNull();
    const pending = t.nextWrite(10_000);
    t.close();
    expect(await pending).toBeNull();
  });

  it("catches the next aimed write on a known server before it is sent, and sends it when released", async () => {
    const t = new InFlightWrites(new Set(["read"]), ["enqueue"]);
    t.end(1, "zk2");
    t.end(2, "zk3");
    const caught = t.catchNextWrite(10_000);
    await t.beforeInvoke(2, "dequeue"); // not aimed at: goes straight out
    await t.beforeInvoke(2, "read");
    await t.beforeInvoke(0, "enqueue"); // its server is not known yet
    let sent = false;
    const held = t.beforeInvoke(1, "enqueue").then(() => (sent = true));
    const w = (await caught)!;
    expect(w).toMatchObject({ slot: 1, f: "enqueue", node: "zk2" });
    await new Promise((r) => setTimeout(r, 20));
    expect(sent).toBe(false);
    w.release();
    await held;
    expect(sent).toBe(true);
    await t.beforeInvoke(1, "enqueue"); // caught once only
  });

  it("aims at the workload's aimAt writes, else at every write, never at a read", () => {
    const all = new InFlightWrites(new Set(["read"]));
    expect([all.aimsAt("write"), all.aimsAt("resign"), all.aimsAt("read")]).toEqual([true, true, false]);
    const some = new InFlightWrites(new Set(["read"]), ["write"]);
    expect([some.aimsAt("write"), some.aimsAt("resign")]).toEqual([true, false]);
  });

  it("a catch ends with null after its timeout or on close", async () => {
    const t = new InFlightWrites(new Set());
    expect(await t.catchNextWrite(5)).toBeNull();
    const pending = t.catchNextWrite(10_000);
    t.close();
    expect(await pending).toBeNull();
  });
});
