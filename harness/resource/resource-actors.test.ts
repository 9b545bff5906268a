import { describe, expect, it } from "vitest";
import type { ResourceEvent } from "../../kernel/resource.ts";
import { AccessGate } from "./access-gate.ts";
import { ResourceActors, slotOf } from "./resource-actors.ts";

const at = (e: Partial<ResourceEvent> & Pick<ResourceEvent, "op" | "holder">): ResourceEvent => ({
  time: 0,
  accepted: true,
  ...e,
});

describe("who acts at the guarded resource", () => {
  it("reads the slot from a c<slot>/ holder, else from the process number", () => {
    expect(slotOf(at({ op: "enter", holder: "c3/0x1000" }), 5)).toBe(3);
    expect(slotOf(at({ op: "enter", holder: "someone", process: 7 }), 5)).toBe(2);
    expect(slotOf(at({ op: "enter", holder: "someone" }), 5)).toBeNull();
  });

  it("a slot is inside from its accepted enter until the exit of the same section", () => {
    const a = new ResourceActors(5);
    expect(a.kind()).toBeNull();
    a.observe(at({ op: "enter", holder: "c1/s", section: "/lock/a" }));
    a.observe(at({ op: "enter", holder: "c2/s", section: "/lock/b", accepted: false }));
    expect(a.inSection()).toEqual([1]);
    expect(a.kind()).toBe("holder");
    a.observe(at({ op: "exit", holder: "c1/s", section: "/lock/other" }));
    expect(a.inSection()).toEqual([1]);
    a.observe(at({ op: "exit", holder: "c1/s", section: "/lock/a" }));
    expect(a.inSection()).toEqual([]);
  });

  it("the leader is the writer of the highest epoch, whatever its spelling", () => {
    const a = new ResourceActors(3);
    a.observe(at({ op: "write", holder: "c0/s/n1", epoch: "0x10" }));
    a.observe(at({ op: "write", holder: "c2/s/n2", epoch: 20 }));
    a.observe(at({ op: "write", holder: "c0/s/n1", epoch: "0x10" }));
    expect(a.leader()).toBe(2);
    expect(a.kind()).toBe("leader");
    a.observe(at({ op: "write", holder: "c1/s/n3", epoch: "21", accepted: false }));
    expect(a.leader()).toBe(2);
  });

  it("nextLeaderWrite resolves with the next writer at the highest epoch, not a stale one", async () => {
    const a = new ResourceActors(5);
    a.observe(at({ op: "write", holder: "c1/s", epoch: 10 }));
    const next = a.nextLeaderWrite(60_000);
    a.observe(at({ op: "write", holder: "c1/s", epoch: 9 }));
    a.observe(at({ op: "write", holder: "c0/s", epoch: 11, accepted: false }));
    a.observe(at({ op: "write", holder: "c2/s", epoch: 11 }));
    expect(await next).toBe(2);
    expect(await a.nextLeaderWrite(1)).toBeNull();
  });

  it("nextEntry resolves with the next slot to enter, or null when none does in time", async () => {
    const a = new ResourceActors(5);
    const next = a.nextEntry(60_000);
    a.observe(at({ op: "exit", holder: "c4/s", section: "x" }));
    a.observe(at({ op: "enter", holder: "c4/s", section: "y" }));
    expect(await next).toBe(4);
    expect(await a.nextEntry(1)).toBeNull();
    const pending = a.nextEntry(60_000);
    a.close();
    expect(await pending).toBeNull();
  });

  it("catchLeaderWrite holds the next write at the highest epoch from a slot it may take", async () => {
    const gate = new AccessGate();
    const a = new ResourceActors(5, gate);
    a.observe(at({ op: "write", holder: "c1/s", epoch: 10 }));
    const caught = a.catchLeaderWrite(60_000, (slot) => slot !== 3);
    expect(gate.pass({ op: "write", key: "k", holder: "c2/s", epoch: 9 })).toBeNull(); // stale epoch
    expect(gate.pass({ op: "enter", key: "k", holder: "c2/s", epoch: 12 })).toBeNull(); // not a write
    expect(gate.pass({ op: "write", key: "k", holder: "c3/s", epoch: 12 })).toBeNull(); // slot not free
    const waiting = gate.pass({ op: "write", key: "k", holder: "c4/s", epoch: 10 });
    expect(waiting).not.toBeNull();
    const held = await caught;
    expect(held?.slot).toBe(4);
    held!.release();
    await waiting;
    expect(await new ResourceActors(5).catchLeaderWrite(60_000, () => true)).toBeNull(); // no door: nothing
  });
});
