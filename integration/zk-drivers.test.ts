/**
 * Both drivers against a real three-server ensemble (tickTime 500 ms: sessions of 1–10 s). One ensemble
 * for the file; tests that pause a server pick a follower and wait for the quorum again afterwards.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ensureImages } from "../docker/images.ts";
import { fourLetterWord } from "../docker/four-letter-words.ts";
import { ZooKeeperEnsemble, type StartedZooKeeperEnsemble } from "../docker/zookeeper-ensemble.ts";
import { createClient, DRIVER_NAMES, UnsupportedError, ZkError } from "../workloads/zk/index.ts";
import type { ConnectionState, DriverName, WatchEvent, ZkClient } from "../workloads/zk/index.ts";

let ensemble: StartedZooKeeperEnsemble;
const open: ZkClient[] = [];

beforeAll(async () => {
  const images = await ensureImages();
  ensemble = await new ZooKeeperEnsemble(images.zookeeper).withNodes(3).withTickTime(500).start();
}, 180_000);

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close().catch(() => undefined)));
});

// A test that failed with a server paused must not fail the next one too.
beforeEach(async () => {
  await ensemble.restore();
}, 120_000);

afterAll(async () => {
  await ensemble?.stopAll();
});

interface Opened {
  zk: ZkClient;
  states: ConnectionState[];
}

async function connect(
  driver: DriverName,
  opts: { nodes?: readonly string[]; sessionTimeoutMs?: number; opTimeoutMs?: number } = {},
): Promise<Opened> {
  const zk = createClient(driver, { opTimeoutMs: opts.opTimeoutMs ?? 5000 });
  const states: ConnectionState[] = [];
  zk.on("state", (s) => states.push(s));
  open.push(zk);
  await zk.connect(ensemble.connectString(opts.nodes), opts.sessionTimeoutMs ?? 4000);
  return { zk, states };
}

async function waitFor(
  what: string,
  cond: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<number> {
  const start = Date.now();
  while (!(await cond())) {
    if (Date.now() - start > timeoutMs) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return Date.now() - start;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const buf = (s: string) => Buffer.from(s, "utf8");

async function rejection(p: Promise<unknown>): Promise<ZkError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ZkError);
  return err as ZkError;
}

/** A follower: pausing it leaves the quorum (and the leader) in place. */
async function follower(): Promise<string> {
  const leader = await ensemble.waitForQuorum({ timeoutMs: 30_000 });
  return ensemble.nodes.find((n) => n !== leader)!;
}

/** The server whose `cons` lists the session (a client may be connected to any server in its string). */
async function serverOf(sessionId: string, nodes: readonly string[]): Promise<string | undefined> {
  for (const n of nodes) {
    const e = ensemble.adminEndpoint(n);
    const cons = await fourLetterWord(e.host, e.port, "cons", 1000);
    if (cons?.includes(`sid=${sessionId},`)) return n;
  }
  return undefined;
}

describe("ZooKeeper client drivers", { tags: ["docker"], timeout: 60_000 }, () => {
  describe.each(DRIVER_NAMES)("%s", (driver) => {
    // Not "/zookeeper": that one is the server's own.
    const root = `/t_${driver.replace(/-/g, "_")}`;

    it("connects with a hex session id and creates in every mode", async () => {
      const { zk, states } = await connect(driver);
      expect(zk.sessionId).toMatch(/^0x[0-9a-f]{1,16}$/);
      expect(zk.sessionId).not.toBe("0x0");
      expect(states).toEqual(["connected"]);
      expect(zk.state).toBe("connected");

      expect(await zk.create(root, null, "persistent")).toBe(root);
      expect(await zk.create(`${root}/p`, buf("p"))).toBe(`${root}/p`);
      expect(await zk.create(`${root}/e`, buf("e"), "ephemeral")).toBe(`${root}/e`);
      const ps1 = await zk.create(`${root}/ps-`, null, "persistent_sequential");
      const ps2 = await zk.create(`${root}/ps-`, null, "persistent_sequential");
      const es = await zk.create(`${root}/es-`, null, "ephemeral_sequential");
      expect(ps1).toMatch(new RegExp(`^${root}/ps-\\d{10}$`));
      expect(es).toMatch(new RegExp(`^${root}/es-\\d{10}$`));
      expect(Number(ps2.slice(-10))).toBeGreaterThan(Number(ps1.slice(-10)));

      expect((await zk.exists(`${root}/e`))?.ephemeralOwner).toBe(zk.sessionId);
      expect((await zk.exists(es))?.ephemeralOwner).toBe(zk.sessionId);
      expect((await zk.exists(`${root}/p`))?.ephemeralOwner).toBeNull();
      expect((await zk.getChildren(root)).sort()).toEqual(
        ["e", "p", ps1.slice(root.length + 1), ps2.slice(root.length + 1), es.slice(root.length + 1)].sort(),
      );

      // Ephemerals go with the session.
      await zk.close();
      expect(states).toEqual(["connected", "closed"]);
      const { zk: other } = await connect(driver);
      expect(await other.exists(`${root}/e`)).toBeNull();
      expect(await other.exists(es)).toBeNull();
      await expect(zk.getData(root)).rejects.toMatchObject({ code: "INVALIDSTATE" });
    });

    it("reads and writes with versions; BADVERSION, NONODE, NODEEXISTS, NOTEMPTY", async () => {
      const { zk } = await connect(driver);
      const p = `${root}-rw`;
      await zk.create(p, buf("a"));
      const r0 = await zk.getData(p);
      expect(r0.data.toString()).toBe("a");
      expect(r0.stat).toMatchObject({ version: 0, dataLength: 1, numChildren: 0, ephemeralOwner: null });
      const s1 = await zk.setData(p, buf("b"), 0);
      expect(s1.version).toBe(1);
      expect(s1.mzxid).toBeGreaterThan(r0.stat.mzxid);
      expect(s1.mtime).toBeGreaterThanOrEqual(r0.stat.mtime);

      const bad = await rejection(zk.setData(p, buf("c"), 0));
      expect(bad).toMatchObject({ code: "BADVERSION", op: "setData", path: p });
      expect(bad.rc).toBeTypeOf("number");
      expect((await zk.getData(p)).data.toString()).toBe("b");
      await zk.setData(p, null);
      expect((await zk.getData(p)).data).toEqual(Buffer.alloc(0));

      expect(await rejection(zk.create(p, null))).toMatchObject({ code: "NODEEXISTS", op: "create" });
      expect(await rejection(zk.getData(`${p}/none`))).toMatchObject({ code: "NONODE", op: "getData" });
      expect(await rejection(zk.delete(`${p}/none`))).toMatchObject({ code: "NONODE", op: "delete" });
      expect(await rejection(zk.getChildren(`${p}/none`))).toMatchObject({ code: "NONODE" });
      expect(await zk.exists(`${p}/none`)).toBeNull();

      await zk.create(`${p}/child`, null);
      expect(await rejection(zk.delete(p))).toMatchObject({ code: "NOTEMPTY" });
      expect(await rejection(zk.delete(`${p}/child`, 5))).toMatchObject({ code: "BADVERSION" });
      await zk.delete(`${p}/child`, 0);
      await zk.delete(p);
      expect(await zk.exists(p)).toBeNull();
    });

    it("normalizes stats: bigint zxids, a newer node has a larger czxid", async () => {
      const { zk } = await connect(driver);
      const older = await zk.exists(await zk.create(`${root}-z-`, null, "persistent_sequential"));
      const newer = await zk.exists(await zk.create(`${root}-z-`, null, "persistent_sequential"));
      for (const s of [older!, newer!]) {
        expect(typeof s.czxid).toBe("bigint");
        expect(typeof s.mzxid).toBe("bigint");
        expect(typeof s.pzxid).toBe("bigint");
        expect(typeof s.ctime).toBe("number");
        expect(s.ctime).toBeGreaterThan(Date.UTC(2020, 0));
      }
      expect(newer!.czxid).toBeGreaterThan(older!.czxid);
      const rootStat = (await zk.exists("/"))!;
      expect(rootStat.czxid).toBe(0n);
      expect(rootStat.pzxid).toBeGreaterThanOrEqual(newer!.czxid);
    });

    it("fires a data watch, a child watch and an exists watch once each", async () => {
      const { zk } = await connect(driver);
      const { zk: writer } = await connect(driver);
      const p = `${root}-w`;
      await zk.create(p, buf("0"));
      const events: WatchEvent[] = [];
      await zk.getData(p, (e) => events.push(e));
      await zk.getChildren(p, (e) => events.push(e));
      expect(await zk.exists(`${p}/later`, (e) => events.push(e))).toBeNull();

      await writer.setData(p, buf("1"));
      await writer.create(`${p}/later`, null);
      await writer.setData(p, buf("2")); // the data watch was used up
      await waitFor("three watch events", () => events.length >= 3, 5000);
      await sleep(200);
      expect(events).toHaveLength(3);
      expect(events).toEqual(
        expect.arrayContaining([
          { type: "changed", path: p },
          { type: "child", path: p },
          { type: "created", path: `${p}/later` },
        ]),
      );
    });

    it("after sync, a read through another server sees a write made through the first", async () => {
      const [a, b] = ensemble.nodes;
      const { zk: w } = await connect(driver, { nodes: [a!] });
      const { zk: r } = await connect(driver, { nodes: [b!] });
      const p = `${root}-sync`;
      await w.create(p, buf("0"));
      for (let i = 1; i <= 20; i++) {
        await w.setData(p, buf(String(i)));
        await r.sync(p);
        expect((await r.getData(p)).data.toString()).toBe(String(i));
      }
    });

    it("multi: commits while the checked node exists, applies nothing once it is gone", async () => {
      const { zk } = await connect(driver);
      const latch = `${root}-latch`;
      const res = `${root}-res`;
      await zk.create(latch, null, "ephemeral");
      await zk.create(res, buf("0"));
      if (!zk.capabilities.multi) {
        expect(driver).toBe("zookeeper");
        await expect(zk.multi([{ op: "check", path: latch, version: -1 }])).rejects.toBeInstanceOf(
          UnsupportedError,
        );
        return;
      }
      const ok = await zk.multi([
        { op: "check", path: latch, version: -1 },
        { op: "create", path: `${res}/e-`, data: buf("x"), mode: "persistent_sequential" },
        { op: "setData", path: res, data: buf("1"), version: 0 },
      ]);
      expect(ok).toHaveLength(3);
      expect(ok[0]).toEqual({ op: "check" });
      expect(ok[1]).toMatchObject({
        op: "create",
        path: expect.stringMatching(new RegExp(`^${res}/e-\\d{10}$`)),
      });
      expect(ok[2]).toMatchObject({ op: "setData", stat: { version: 1 } });

      // Version 0 must be checked (the library alone would turn it into -1, "any version").
      const stale = await rejection(
        zk.multi([
          { op: "check", path: latch, version: 0 },
          { op: "setData", path: res, data: buf("stale"), version: 0 },
        ]),
      );
      expect(stale.code).toBe("BADVERSION");

      await zk.delete(latch);
      const gone = await rejection(
        zk.multi([
          { op: "check", path: latch, version: -1 },
          { op: "create", path: `${res}/after`, data: null },
          { op: "setData", path: res, data: buf("2"), version: -1 },
        ]),
      );
      expect(gone).toMatchObject({ code: "NONODE", op: "multi" });
      expect(await zk.exists(`${res}/after`)).toBeNull();
      expect((await zk.getData(res)).data.toString()).toBe("1");
      expect(await zk.getChildren(res)).toHaveLength(1);
    });

    it("tells which server it is connected to (the one that holds its session) and the zxid each reply told of", async () => {
      const { zk } = await connect(driver);
      const held = await serverOf(zk.sessionId, ensemble.nodes);
      expect(held).toBeDefined();
      expect(zk.server).toEqual(ensemble.clientEndpoint(held!));
      const p = `${root}-observed`;
      await zk.create(p, buf("0"));
      const stat = await zk.setData(p, buf("1"));
      expect(zk.observed?.zxid).toBe(stat.mzxid); // nothing else writes: the header's zxid is this write's too
      expect(zk.observed?.server).toEqual(zk.server);
      // The native client has no reply header: a Stat's mzxid, for its path.
      expect(zk.observed?.path).toBe(driver === "zookeeper" ? p : undefined);
      const before = zk.observed;
      await zk.getData(p);
      expect(zk.observed).not.toBe(before);
      expect(zk.observed?.zxid).toBe(stat.mzxid);
    });

    it("getChildren2: the child set with the parent's stat, pzxid the zxid of the last child change; its watch fires once", async () => {
      const { zk } = await connect(driver);
      const { zk: writer } = await connect(driver);
      const p = `${root}-c2`;
      await zk.create(p, buf("0"));
      const empty = await zk.getChildren2(p);
      expect(empty.children).toEqual([]);
      await writer.create(`${p}/a`, null);
      const a = (await writer.exists(`${p}/a`))!;
      const events: WatchEvent[] = [];
      const one = await zk.getChildren2(p, (e) => events.push(e));
      expect(one.children).toEqual(["a"]);
      expect(one.stat.pzxid).toBe(a.czxid);
      expect(one.stat.numChildren).toBe(1);
      expect(one.stat.mzxid).toBeLessThan(one.stat.pzxid);
      await writer.delete(`${p}/a`);
      await writer.create(`${p}/b`, null);
      await waitFor("child event", () => events.length >= 1, 5000);
      await sleep(200);
      expect(events).toEqual([{ type: "child", path: p }]);
      const two = await zk.getChildren2(p);
      expect(two.children).toEqual(["b"]);
      expect(two.stat.pzxid).toBe((await writer.exists(`${p}/b`))!.czxid);
    });

    it("a watch set before its server stops answering fires after the move, for a change made meanwhile", async () => {
      const f = await follower();
      const other = ensemble.nodes.find((n) => n !== f)!;
      const { zk: writer } = await connect(driver, { nodes: [other] });
      const p = `${root}-rewatch`;
      await writer.create(p, buf("0"));
      const { zk, states } = await connect(driver, { nodes: [f], sessionTimeoutMs: 8000 });
      const events: WatchEvent[] = [];
      const before = await zk.getData(p, (e) => events.push(e));
      await zk.getChildren2(p, (e) => events.push(e));
      const session = zk.sessionId;
      await ensemble.pause(f);
      try {
        await waitFor("disconnected", () => states.includes("disconnected"), 8000);
        const changed = await writer.setData(p, buf("1"));
        await writer.create(`${p}/x`, null);
        expect(changed.mzxid).toBeGreaterThan(before.stat.mzxid);
        expect(events).toEqual([]);
      } finally {
        await ensemble.unpause(f);
      }
      // The same session on the same server: the client sends its watches again with the last zxid it saw
      // (setWatches), and the server fires those whose node changed since.
      await waitFor("both watches fired", () => events.length >= 2, 15_000);
      expect(zk.sessionId).toBe(session);
      expect(states).toEqual(["connected", "disconnected", "connected"]);
      expect(events).toEqual(
        expect.arrayContaining([
          { type: "changed", path: p },
          { type: "child", path: p },
        ]),
      );
      await ensemble.waitForQuorum({ timeoutMs: 30_000 });
    });

    it("moves to another server within the same session when its server stops answering", async () => {
      const f = await follower();
      const other = ensemble.nodes.find((n) => n !== f)!;
      const { zk, states } = await connect(driver, { nodes: [f, other], sessionTimeoutMs: 6000 });
      const session = zk.sessionId;
      await zk.create(`${root}-moving`, null, "ephemeral");
      const at = (await serverOf(session, [f, other]))!;
      expect(at).toBeDefined();
      await ensemble.pause(at);
      try {
        await waitFor(
          "disconnected, then connected again",
          () => states.at(-1) === "connected" && states.length > 2,
          10_000,
        );
      } finally {
        await ensemble.unpause(at);
      }
      expect(states).toEqual(["connected", "disconnected", "connected"]);
      expect(zk.sessionId).toBe(session);
      expect(zk.server).toEqual(ensemble.clientEndpoint(at === f ? other : f));
      expect((await zk.exists(`${root}-moving`))?.ephemeralOwner).toBe(session);
      await ensemble.waitForQuorum({ timeoutMs: 30_000 });
    });

    it("sees disconnected when its only server is paused, expired after a pause longer than the session", async () => {
      const f = await follower();
      // Session 2000 ms (4 ticks); a call's own timeout shorter than the C client's 2/3-session read timeout.
      const { zk, states } = await connect(driver, { nodes: [f], sessionTimeoutMs: 2000, opTimeoutMs: 1000 });
      const session = zk.sessionId;
      await ensemble.pause(f);
      let disconnectedAfter: number;
      try {
        const during = rejection(zk.getData("/"));
        disconnectedAfter = await waitFor("disconnected", () => states.includes("disconnected"), 4000);
        expect(await during).toMatchObject({ code: "TIMEOUT", op: "getData" });
        await sleep(5000 - disconnectedAfter);
      } finally {
        await ensemble.unpause(f);
      }
      await waitFor("expired", () => states.includes("expired"), 15_000);
      expect(states).toEqual(["connected", "disconnected", "expired"]);
      expect(await rejection(zk.getData("/"))).toMatchObject({ code: "SESSIONEXPIRED" });
      expect(zk.sessionId).toBe(session);
      await zk.close();
      expect(states.at(-1)).toBe("closed");
      await ensemble.waitForQuorum({ timeoutMs: 30_000 });
    });
  });
});
