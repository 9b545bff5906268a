import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { OpRequest } from "../../workloads/workload.ts";
import type { ClientInit, Completed } from "./client-pool.ts";
import { SessionServer } from "./testing/session-server.ts";
import { CRASHES_IN_A_ROW, Tail, WorkerPool } from "./worker-pool.ts";

const CLIENT = join(import.meta.dirname, "testing", "crashing-client.ts");

const server = new SessionServer();
let connectString = "";
beforeAll(async () => void (connectString = await server.start()));
afterAll(() => server.stop());

function base(): ClientInit {
  return {
    clientModule: CLIENT,
    variant: "plain",
    options: {},
    driver: "node-zookeeper-client",
    connectString,
    sessionTimeoutMs: 6000,
    opTimeoutMs: 5000,
    resourceUrl: "http://127.0.0.1:1",
    origin: process.hrtime.bigint().toString(),
    reads: [],
  };
}

/** An op through the pool, with the invoke time it reported. */
async function run(pool: WorkerPool, slot: number, f: string): Promise<Completed & { invoked: number }> {
  let invoked = -1;
  const op: OpRequest = { f, value: null };
  const done = await pool.invoke(slot, slot, op, (t) => (invoked = t));
  return { ...done, invoked };
}

async function started(clients: number): Promise<WorkerPool> {
  const pool = new WorkerPool(clients);
  try {
    await pool.init(base());
  } catch (err) {
    pool.killAll();
    throw err;
  }
  return pool;
}

describe("where an op was served", () => {
  it("records the server that sent the op's reply, by the connect string's node names, and the zxid it told of", async () => {
    server.zxid = 0x300000012n;
    const pool = new WorkerPool(2);
    try {
      await pool.init({ ...base(), nodes: ["zk2"] });
      const done = await run(pool, 0, "exists");
      expect(done.outcome).toEqual({ type: "ok", value: false });
      expect({ node: done.node, zxid: done.zxid, path: done.zxidPath }).toEqual({
        node: "zk2",
        zxid: "0x300000012",
        path: undefined,
      });
      // No reply during the op: no zxid, but still the server the session is on.
      const quiet = await run(pool, 1, "ok");
      expect(quiet).toMatchObject({ node: "zk2" });
      expect(quiet.zxid).toBeUndefined();
    } finally {
      await pool.close();
    }
  });
});

describe("a client process that crashes", () => {
  it("ends its op in flight as info with the crash, and a fresh worker with a new session takes the slot", async () => {
    const pool = await started(2);
    try {
      const before = { pid: pool.pid(0), session: pool.session(0) };
      expect((await run(pool, 0, "ok")).outcome.type).toBe("ok");
      const crashed = await run(pool, 0, "crash");
      expect(crashed.outcome).toMatchObject({ type: "info", error: "client crashed (exit code 1)" });
      expect(crashed.invoked).toBeGreaterThanOrEqual(0);
      expect(crashed.time).toBeGreaterThanOrEqual(crashed.invoked);
      expect(crashed.crash).toMatchObject({ slot: 0, code: 1, signal: null, inARow: 1, retired: false });
      expect(crashed.crash!.stderr.join("\n")).toContain(
        "CONNECTION_LOSS[-4] thrown from a library callback",
      );
      expect(crashed.crash!.stderr.length).toBeLessThanOrEqual(20);
      // The slot goes on with a new process and session; the other slot never noticed.
      const next = await run(pool, 0, "ok");
      expect(next.outcome.type).toBe("ok");
      expect(next.crash).toBeUndefined();
      expect(pool.pid(0)).not.toBe(before.pid);
      expect(pool.session(0)).not.toBe(before.session);
      expect((await run(pool, 1, "ok")).outcome.type).toBe("ok");
      expect(pool.crashes).toHaveLength(1);
      await pool.close();
      expect(pool.crashes).toHaveLength(1);
    } finally {
      pool.killAll();
    }
  });

  it("between ops: the slot's next op fails unrun with the crash, the one after runs", async () => {
    const pool = await started(1);
    try {
      expect((await run(pool, 0, "crash-after")).outcome.type).toBe("ok");
      await vi.waitFor(() => expect(pool.crashes).toHaveLength(1), { timeout: 30_000, interval: 20 });
      const unrun = await run(pool, 0, "ok");
      expect(unrun.outcome.type).toBe("fail");
      expect(unrun.outcome.error).toMatch(/^client crashed \(exit code 1\) before this op; not run$/);
      expect(unrun.crash).toMatchObject({ slot: 0, code: 1, inARow: 1, retired: false });
      expect((await run(pool, 0, "ok")).outcome.type).toBe("ok");
      await pool.close();
    } finally {
      pool.killAll();
    }
  });

  it(`${CRASHES_IN_A_ROW} crashes with no ok op between them stop the slot; an ok op resets the count`, async () => {
    const pool = await started(2);
    try {
      expect((await run(pool, 0, "crash")).crash?.inARow).toBe(1);
      expect((await run(pool, 0, "ok")).outcome.type).toBe("ok");
      const row: Completed[] = [];
      for (let i = 0; i < CRASHES_IN_A_ROW; i++) row.push(await run(pool, 0, "crash"));
      expect(row.map((c) => c.crash?.inARow)).toEqual(
        Array.from({ length: CRASHES_IN_A_ROW }, (_, i) => i + 1),
      );
      expect(row.map((c) => c.crash?.retired)).toEqual(
        Array.from({ length: CRASHES_IN_A_ROW }, (_, i) => i === CRASHES_IN_A_ROW - 1),
      );
      expect(pool.pid(0)).toBeUndefined();
      await expect(run(pool, 0, "ok")).rejects.toThrow(/retired/);
      // The other slot and the pool's close are untouched by it.
      expect((await run(pool, 1, "ok")).outcome.type).toBe("ok");
      await pool.close();
      expect(pool.crashes).toHaveLength(CRASHES_IN_A_ROW + 1);
    } finally {
      pool.killAll();
    }
  });

  it("a client pause and the harness's own kills are not crashes", async () => {
    const pool = await started(2);
    try {
      await pool.pause(0);
      const held = run(pool, 0, "ok");
      await pool.resume(0);
      expect((await held).outcome.type).toBe("ok");
      const pid = pool.pid(1);
      pool.killAll();
      await expect(run(pool, 1, "ok")).rejects.toThrow(/worker 1 exited/);
      expect(pid).toBeGreaterThan(0);
      expect(pool.crashes).toEqual([]);
    } finally {
      pool.killAll();
    }
  });
});

describe("Tail", () => {
  it("keeps the last lines, each bounded, across chunk boundaries", () => {
    const t = new Tail(3);
    t.push("one\ntw");
    t.push("o\n\nthree\nfour\nfi");
    expect(t.lines()).toEqual(["three", "four", "fi"]);
    t.push("x".repeat(5000) + "\n");
    expect(t.lines().at(-1)!.length).toBeLessThanOrEqual(1001);
  });
});
