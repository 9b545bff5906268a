import { describe, expect, it } from "vitest";
import type { ResourceRequest } from "../../kernel/resource.ts";
import { AccessGate } from "./access-gate.ts";

const write = (holder: string): ResourceRequest => ({ op: "write", key: "k", holder });
const settled = async (p: Promise<void>): Promise<boolean> => {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe("the resource's door", () => {
  it("holds the first access the hold accepts until it is released, and lets the others through", async () => {
    const gate = new AccessGate();
    const hold = gate.holdNext((r) => r.holder === "c2", 60_000);
    expect(gate.pass(write("c1"))).toBeNull();
    const waiting = gate.pass(write("c2"));
    expect(waiting).not.toBeNull();
    const held = await hold;
    expect(held).not.toBeNull();
    expect(gate.holding).toBe(1);
    expect(await settled(waiting!)).toBe(false);
    // One hold catches one access.
    expect(gate.pass(write("c2"))).toBeNull();
    held!.release();
    held!.release();
    expect(await settled(waiting!)).toBe(true);
    expect(gate.holding).toBe(0);
  });

  it("a hold that catches nothing in time gives null and holds nothing after", async () => {
    const gate = new AccessGate();
    expect(await gate.holdNext(() => true, 5)).toBeNull();
    expect(gate.pass(write("c1"))).toBeNull();
  });

  it("closing lets every held access in and ends a pending hold", async () => {
    const gate = new AccessGate();
    const first = gate.holdNext(() => true, 60_000);
    const waiting = gate.pass(write("c1"))!;
    await first;
    const pending = gate.holdNext(() => true, 60_000);
    gate.close();
    expect(await pending).toBeNull();
    expect(await settled(waiting)).toBe(true);
    expect(await gate.holdNext(() => true, 60_000)).toBeNull();
  });

  it("one hold at a time: a second while one is armed gives null at once", async () => {
    const gate = new AccessGate();
    const first = gate.holdNext(() => true, 60_000);
    expect(await gate.holdNext(() => true, 60_000)).toBeNull();
    gate.close();
    expect(await first).toBeNull();
  });
});
