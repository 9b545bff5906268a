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
});
