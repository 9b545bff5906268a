import { afterEach, describe, expect, it, vi } from "vitest";
import type { ConnectionState, CreateMode, MultiOp, MultiResult, Stat, Watcher } from "../client.ts";
import { UnsupportedError, ZkError } from "../errors.ts";
import { DriverBase, hexId } from "./base.ts";

/** A driver whose library is a hand-driven fake: each call waits until the test settles it. */
class FakeDriver extends DriverBase {
  readonly driver = "zookeeper" as const;
  capabilities = { multi: false };
  pending: { op: string; resolve: (v: unknown) => void; reject: (e: unknown) => void }[] = [];
  watchers: Watcher[] = [];
  shutdowns = 0;

  report(s: ConnectionState, session?: bigint): void {
    if (session !== undefined) this.session = session;
    this.setState(s);
  }
  readonly server = null;
  protected observation(op: string, path: string | undefined, result: unknown) {
    return op === "setData" && path ? { zxid: (result as Stat).mzxid, path, server: null } : null;
  }
  protected open(): void {}
  protected async shutdown(): Promise<void> {
    this.shutdowns++;
  }
  protected toZkError(err: unknown, op: string, path?: string): ZkError {
    return new ZkError("OTHER", -999, op, path, String(err));
  }
  private wait<T>(op: string): Promise<T> {
    return new Promise<T>((resolve, reject) =>
      this.pending.push({ op, resolve: resolve as (v: unknown) => void, reject }),
    );
  }
  protected doCreate(_p: string, _d: Buffer, _m: CreateMode): Promise<string> {
    return this.wait("create");
  }
  protected doGetData(_p: string, w: Watcher | undefined): Promise<{ data: Buffer; stat: Stat }> {
    if (w) this.watchers.push(w);
    return this.wait("getData");
  }
  protected doSetData(): Promise<Stat> {
    return this.wait("setData");
  }
  protected doDelete(): Promise<void> {
    return this.wait("delete");
  }
  protected doGetChildren(): Promise<string[]> {
    return this.wait("getChildren");
  }
  protected doGetChildren2(_p: string, w: Watcher | undefined): Promise<{ children: string[]; stat: Stat }> {
    if (w) this.watchers.push(w);
    return this.wait("getChildren2");
  }
  protected doExists(): Promise<Stat | null> {
    return this.wait("exists");
  }
  protected doSync(): Promise<void> {
    return this.wait("sync");
  }
  protected doMulti(_ops: readonly MultiOp[]): Promise<MultiResult[]> {
    return this.wait("multi");
  }
}

async function connected(opTimeoutMs = 1000): Promise<{ d: FakeDriver; states: ConnectionState[] }> {
  const d = new FakeDriver({ opTimeoutMs });
  const states: ConnectionState[] = [];
  d.on("state", (s) => states.push(s));
  const c = d.connect("fake:1", 2000);
  d.report("connected", 0x100007f3a2b0001n);
  await c;
  return { d, states };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("DriverBase", () => {
  it("formats ids as 0x hex, and 0 as null where asked", () => {
    expect(hexId(0x100007f3a2b0001n)).toBe("0x100007f3a2b0001");
    expect(hexId(0n)).toBe("0x0");
    expect(hexId(0n, true)).toBeNull();
    expect(hexId(-1n)).toBe("0xffffffffffffffff");
  });

  it("rejects calls before connect and after close with INVALIDSTATE, without touching the library", async () => {
    const d = new FakeDriver();
    await expect(d.getData("/x")).rejects.toMatchObject({ code: "INVALIDSTATE", op: "getData", path: "/x" });
    expect(d.sessionId).toBe("0x0");
    expect(d.state).toBe("new");
    const { d: c } = await connected();
    await c.close();
    await expect(c.create("/x", null)).rejects.toMatchObject({ code: "INVALIDSTATE" });
    expect(c.pending).toHaveLength(0);
  });

  it("times a call out with TIMEOUT and drops the late reply", async () => {
    vi.useFakeTimers();
    const { d } = await connected(500);
    const p = d.setData("/r", Buffer.from("1"));
    const seen = expect(p).rejects.toMatchObject({ code: "TIMEOUT", rc: null, op: "setData", path: "/r" });
    await vi.advanceTimersByTimeAsync(501);
    await seen;
    d.pending[0]!.resolve({});
  });

  it("passes library errors through the driver's mapping", async () => {
    const { d } = await connected();
    const p = d.delete("/r");
    d.pending[0]!.reject(new Error("raw"));
    await expect(p).rejects.toMatchObject({ code: "OTHER", rc: -999, op: "delete", path: "/r" });
  });

  it("on expiry fails calls in flight and later calls with SESSIONEXPIRED; close still emits closed", async () => {
    const { d, states } = await connected();
    const inflight = d.create("/q/item-", null, "persistent_sequential");
    d.report("disconnected");
    d.report("expired");
    await expect(inflight).rejects.toMatchObject({ code: "SESSIONEXPIRED", op: "create" });
    await expect(d.getData("/x")).rejects.toMatchObject({ code: "SESSIONEXPIRED" });
    // A library reconnecting or disconnecting after expiry changes nothing.
    d.report("connected");
    d.report("disconnected");
    await d.close();
    await d.close();
    expect(states).toEqual(["connected", "disconnected", "expired", "closed"]);
    expect(d.shutdowns).toBe(1);
    expect(d.sessionId).toBe("0x100007f3a2b0001");
  });

  it("close fails calls in flight with CONNECTIONLOSS (they may have been applied)", async () => {
    const { d } = await connected();
    const inflight = d.setData("/r", null, 3);
    await d.close();
    await expect(inflight).rejects.toMatchObject({ code: "CONNECTIONLOSS", op: "setData" });
  });

  it("deduplicates states", async () => {
    const { d, states } = await connected();
    d.report("disconnected");
    d.report("disconnected");
    d.report("connected");
    expect(states).toEqual(["connected", "disconnected", "connected"]);
  });

  it("keeps what the latest successful reply told of the zxid; failures and late replies leave it", async () => {
    const { d } = await connected();
    expect(d.observed).toBeNull();
    const set = d.setData("/r", null);
    d.pending[0]!.resolve({ mzxid: 0x200000007n });
    await set;
    const first = d.observed;
    expect(first).toEqual({ zxid: 0x200000007n, path: "/r", server: null });
    const lost = d.setData("/r", null);
    d.pending[1]!.reject(new Error("raw"));
    await expect(lost).rejects.toMatchObject({ code: "OTHER" });
    const del = d.delete("/r"); // this driver tells no zxid for a delete
    d.pending[2]!.resolve(undefined);
    await del;
    expect(d.observed).toBe(first);
  });

  it("calls a watch at most once", async () => {
    const { d } = await connected();
    const seen: string[] = [];
    void d.getData("/w", (e) => seen.push(`${e.type} ${e.path}`)).catch(() => undefined);
    d.watchers[0]!({ type: "changed", path: "/w" });
    d.watchers[0]!({ type: "deleted", path: "/w" });
    expect(seen).toEqual(["changed /w"]);
  });

  it("calls a getChildren2 watch at most once and passes children and stat through", async () => {
    const { d } = await connected();
    const seen: string[] = [];
    const read = d.getChildren2("/p", (e) => seen.push(`${e.type} ${e.path}`));
    const stat = { pzxid: 7n } as Stat;
    d.pending[0]!.resolve({ children: ["a"], stat });
    expect(await read).toEqual({ children: ["a"], stat });
    d.watchers[0]!({ type: "child", path: "/p" });
    d.watchers[0]!({ type: "child", path: "/p" });
    expect(seen).toEqual(["child /p"]);
  });

  it("a connect that does not succeed in time rejects with TIMEOUT and closes", async () => {
    vi.useFakeTimers();
    const d = new FakeDriver({ opTimeoutMs: 300 });
    const p = d.connect("fake:1", 2000);
    const seen = expect(p).rejects.toMatchObject({ code: "TIMEOUT", op: "connect" });
    await vi.advanceTimersByTimeAsync(301);
    await seen;
    expect(d.state).toBe("closed");
    expect(d.shutdowns).toBe(1);
  });

  it("multi without the capability rejects with UnsupportedError, connected or not", async () => {
    await expect(new FakeDriver().multi([])).rejects.toBeInstanceOf(UnsupportedError);
    const { d } = await connected();
    await expect(d.multi([{ op: "check", path: "/", version: -1 }])).rejects.toMatchObject({
      code: "UNIMPLEMENTED",
    });
  });
});
