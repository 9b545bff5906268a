import { describe, expect, it } from "vitest";
import type { Op } from "../../kernel/op.ts";
import { history, seq } from "../testing/history.ts";
import { checkLinearizable, linearizable } from "./linearizable.ts";
import { casRegister } from "./models/cas-register.ts";
import { kv } from "./models/kv.ts";
import { register } from "./models/register.ts";

describe("linearizability of a cas-register", () => {
  it("accepts a sequential history", () => {
    const h = history(
      ...seq(0, "write", 1, "ok"),
      ...seq(1, "read", null, "ok", 1),
      ...seq(0, "cas", [1, 2], "ok"),
    );
    const r = checkLinearizable(h, casRegister());
    expect(r.valid).toBe(true);
    expect(r.ops).toBe(3);
  });

  it("rejects a stale read, with evidence", () => {
    const h = history(
      ...seq(0, "write", 1, "ok"),
      ...seq(0, "write", 2, "ok"),
      ...seq(1, "read", null, "ok", 1),
    );
    const r = checkLinearizable(h, casRegister());
    expect(r.valid).toBe(false);
    const ev = r.evidence!;
    expect(ev.failedOp).toMatchObject({ index: 4, completeIndex: 5, process: 1, op: "read() → 1" });
    expect(ev.prefixes[0]!.ops.map((o) => o.index)).toEqual([0, 2]);
    expect(ev.prefixes[0]!.state).toBe("2");
    expect(ev.message).toMatch(/no order could include read\(\) → 1/);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r); // JSON-serializable as is
  });

  it("names the server that served each op in the evidence: the stale read's lagging one", () => {
    const h = history(
      [0, "invoke", "write", 1],
      [0, "ok", "write", 1, undefined, { node: "zk1" }],
      [0, "invoke", "write", 2],
      [0, "ok", "write", 2, undefined, { node: "zk1" }],
      [1, "invoke", "read", null],
      [1, "ok", "read", 1, undefined, { node: "zk3" }],
    );
    const ev = checkLinearizable(h, casRegister()).evidence!;
    expect(ev.failedOp).toMatchObject({ op: "read() → 1", node: "zk3" });
    expect(ev.prefixes[0]!.ops.map((o) => o.node)).toEqual(["zk1", "zk1"]);
    expect(ev.message).toMatch(/history index 4, served by zk3\)$/);
  });

  it("lets concurrent ops take either order", () => {
    // write 1 and read 0? no: read returns the value of a concurrent write, either way is fine
    const h = history(
      [0, "invoke", "write", 1],
      [1, "invoke", "read", null],
      [1, "ok", "read", 1],
      [0, "ok", "write", 1],
      [2, "invoke", "read", null],
      [2, "ok", "read", 1],
    );
    expect(checkLinearizable(h, casRegister()).valid).toBe(true);
  });

  it("treats info as maybe-happened: an info write may be seen later, or never", () => {
    const seen = history(
      [0, "invoke", "write", 5],
      [0, "info", "write", 5],
      ...seq(1, "read", null, "ok", 5),
    );
    expect(checkLinearizable(seen, casRegister()).valid).toBe(true);
    const notSeen = history(
      [0, "invoke", "write", 5],
      [0, "info", "write", 5],
      ...seq(1, "read", null, "ok", null),
    );
    expect(checkLinearizable(notSeen, casRegister()).valid).toBe(true);
    // but it cannot take effect before it was invoked
    const before = history(
      ...seq(1, "read", null, "ok", 5),
      [0, "invoke", "write", 5],
      [0, "info", "write", 5],
    );
    expect(checkLinearizable(before, casRegister()).valid).toBe(false);
  });

  it("treats an invoke that never completed like info", () => {
    const h = history(
      [0, "invoke", "write", 5],
      ...seq(1, "read", null, "ok", 5),
      ...seq(1, "read", null, "ok", 5),
    );
    expect(checkLinearizable(h, casRegister()).valid).toBe(true);
  });

  it("an info write, once seen, cannot be unseen", () => {
    const h = history(
      ...seq(2, "write", 1, "ok"),
      [0, "invoke", "write", 5],
      [0, "info", "write", 5],
      ...seq(1, "read", null, "ok", 5),
      ...seq(1, "read", null, "ok", 1),
    );
    expect(checkLinearizable(h, casRegister()).valid).toBe(false);
  });

  describe("the fail-semantics trap (corpus README)", () => {
    // The register holds 0 (nobody else writes) and a cas [0 1] comes back fail.
    const h = history(
      ...seq(0, "write", 0, "ok"),
      ...seq(1, "cas", [0, 1], "fail"),
      ...seq(2, "read", null, "ok", 0),
    );

    it("a fail is 'did not happen' and constrains nothing: valid", () => {
      const r = checkLinearizable(h, casRegister());
      expect(r.valid).toBe(true);
      expect(r.failed).toBe(1);
      expect(r.ops).toBe(2);
    });

    it("the model never sees a fail, so it cannot read one as a mismatch", () => {
      const seen: string[] = [];
      const base = casRegister();
      const spy = {
        ...base,
        fromOp: (inv: Op, c: Op | undefined) => (seen.push(c?.type ?? "none"), base.fromOp!(inv, c)),
      };
      checkLinearizable(h, spy);
      expect(seen).toEqual(["ok", "ok"]);
    });

    it("a failed write is never seen", () => {
      const w = history(...seq(0, "write", 7, "fail"), ...seq(1, "read", null, "ok", 7));
      expect(checkLinearizable(w, casRegister()).valid).toBe(false);
    });

    it("a failed read tells nothing", () => {
      const r = history(...seq(0, "write", 1, "ok"), ...seq(1, "read", null, "fail", 99));
      expect(checkLinearizable(r, casRegister()).valid).toBe(true);
    });
  });

  it("ignores the nemesis and ops the model does not know", () => {
    const h = history(
      ["nemesis", "invoke", "start-partition", null],
      ["nemesis", "info", "start-partition", ["n1"]],
      ...seq(0, "frobnicate", 1, "ok"),
      ...seq(0, "write", 1, "ok"),
    );
    const r = checkLinearizable(h, casRegister());
    expect(r).toMatchObject({ valid: true, ops: 1, ignored: 1 });
  });

  it("orders by time with the time clock and by file position with the position clock", () => {
    // in file order the read completes before the write is invoked; by time they overlap
    const h = history(
      [1, "invoke", "read", null, 0],
      [1, "ok", "read", 1, 30],
      [0, "invoke", "write", 1, 10],
      [0, "ok", "write", 1, 20],
    );
    expect(checkLinearizable(h, register(), { clock: "time" }).valid).toBe(true);
    expect(checkLinearizable(h, register(), { clock: "position" }).valid).toBe(false);
  });

  it("checks an empty history as valid", () => {
    expect(checkLinearizable([], casRegister()).valid).toBe(true);
  });
});

/** n concurrent writes, then a read of a value nobody wrote: n·2^(n-1) configurations to rule out. */
function hardHistory(n: number) {
  const evs: Parameters<typeof history> = [];
  for (let p = 0; p < n; p++) evs.push([p, "invoke", "write", p]);
  for (let p = 0; p < n; p++) evs.push([p, "ok", "write", p]);
  evs.push([n, "invoke", "read", null], [n, "ok", "read", -1]);
  return history(...evs);
}

describe("limits", () => {
  it("the hard history is small enough to decide when smaller", () => {
    expect(checkLinearizable(hardHistory(8), casRegister()).valid).toBe(false);
  });

  it("a timeout gives unknown, not a crash", () => {
    const r = checkLinearizable(hardHistory(22), casRegister(), { timeoutMs: 50 });
    expect(r).toMatchObject({ valid: "unknown", reason: "timeout" });
  });

  it("an aborted signal gives unknown", () => {
    const ac = new AbortController();
    ac.abort();
    const r = checkLinearizable(hardHistory(22), casRegister(), { signal: ac.signal });
    expect(r).toMatchObject({ valid: "unknown", reason: "aborted" });
  });

  it("a memory cap gives unknown with reason memory", () => {
    const r = checkLinearizable(hardHistory(22), casRegister(), { maxMemoryBytes: 1 << 20 });
    expect(r.valid).toBe("unknown");
    expect(r.reason).toBe("memory");
  });
});

describe("partitioning (P-compositionality)", () => {
  const h = history(
    [0, "invoke", "put", "a", undefined, { key: "x" }],
    [0, "ok", "put", "a", undefined, { key: "x" }],
    [1, "invoke", "put", "b", undefined, { key: "y" }],
    [1, "ok", "put", "b", undefined, { key: "y" }],
    [2, "invoke", "get", null, undefined, { key: "y" }],
    [2, "ok", "get", "a", undefined, { key: "y" }],
  );

  it("splits kv by key and names the failing key", () => {
    const r = checkLinearizable(h, kv());
    expect(r.partitions).toBe(2);
    expect(r.valid).toBe(false);
    expect(r.evidence?.key).toBe("y");
  });

  it("gives the same verdict unpartitioned", () => {
    const r = checkLinearizable(h, kv(), { partition: false });
    expect(r.partitions).toBe(1);
    expect(r.valid).toBe(false);
  });
});

describe("linearizable()", () => {
  it("is a Checker named linearizable", async () => {
    const c = linearizable(casRegister());
    expect(c.name).toBe("linearizable");
    expect((await c.check(history(...seq(0, "write", 1, "ok")))).valid).toBe(true);
  });
});
