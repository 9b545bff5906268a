/**
 * ToxiproxyLinks against our in-process Toxiproxy-compatible server (no Docker): real TCP echo upstreams on
 * 127.0.0.1, one proxy per logical link, named as the ensemble names them.
 */
import net from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { linksBetween, proxyName, type Link } from "../kernel/links.ts";
import { silentLogger } from "../toxiproxy/logger.ts";
import { startToxiproxy, type ToxiproxyServer } from "../toxiproxy/server.ts";
import { TOXIC_PREFIX, ToxiproxyLinks } from "./toxiproxy-links.ts";

interface ProxyJson {
  name: string;
  listen: string;
  enabled: boolean;
  toxics: { name: string; type: string; stream: string; attributes: Record<string, number> }[];
}

const QUORUM: Link = { kind: "peer", from: "zk1", to: "zk2", port: "quorum" };
const CLIENT: Link = { kind: "client", to: "zk3" };

let server: ToxiproxyServer;
let echo: net.Server;
let echoPort: number;
let links: ToxiproxyLinks;

async function api(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function createProxy(link: Link): Promise<void> {
  const res = await api("POST", "/proxies", {
    name: proxyName(link),
    listen: "127.0.0.1:0",
    upstream: `127.0.0.1:${echoPort}`,
  });
  expect(res.status).toBe(201);
}

async function proxy(link: Link): Promise<ProxyJson> {
  return (await (await api("GET", `/proxies/${proxyName(link)}`)).json()) as ProxyJson;
}

async function portOf(link: Link): Promise<number> {
  const { listen } = await proxy(link);
  return Number(listen.slice(listen.lastIndexOf(":") + 1));
}

/** Connects, or resolves with the error code (ECONNREFUSED). */
function connect(port: number): Promise<net.Socket | string> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1", noDelay: true }, () => resolve(socket));
    socket.once("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

async function connected(link: Link): Promise<net.Socket> {
  const socket = await connect(await portOf(link));
  if (typeof socket === "string") throw new Error(`connect failed: ${socket}`);
  sockets.push(socket);
  return socket;
}
const sockets: net.Socket[] = [];
const upstreams: net.Socket[] = [];
let upstreamBytes = 0;

/** Milliseconds until the echo of `message` came back, or "silent" after `waitMs`, or "closed". */
function echoTime(socket: net.Socket, message = "ping", waitMs = 400): Promise<number | "silent" | "closed"> {
  const start = performance.now();
  return new Promise((resolve) => {
    let got = "";
    const done = (v: number | "silent" | "closed"): void => {
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("close", onClose);
      resolve(v);
    };
    const onData = (d: Buffer): void => {
      got += d.toString();
      if (got.length >= message.length) done(performance.now() - start);
    };
    const onClose = (): void => done("closed");
    const timer = setTimeout(() => done("silent"), waitMs);
    socket.on("data", onData);
    socket.on("close", onClose);
    if (socket.destroyed) done("closed");
    else socket.write(message);
  });
}

const closedWithin = (socket: net.Socket, ms: number): Promise<boolean> =>
  new Promise((resolve) => {
    if (socket.destroyed) return resolve(true);
    const timer = setTimeout(() => resolve(false), ms);
    socket.once("close", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });

beforeEach(async () => {
  server = await startToxiproxy({ host: "127.0.0.1", port: 0, seed: 1, logger: silentLogger });
  echo = net.createServer({ noDelay: true }, (s) => {
    upstreams.push(s);
    s.on("data", (d: Buffer) => (upstreamBytes += d.length));
    s.on("error", () => {});
    s.pipe(s);
  });
  await new Promise<void>((r) => echo.listen(0, "127.0.0.1", r));
  echoPort = (echo.address() as net.AddressInfo).port;
  links = new ToxiproxyLinks(server.url);
  await createProxy(QUORUM);
  await createProxy(CLIENT);
});

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await server.close();
  for (const s of upstreams.splice(0)) s.destroy();
  await new Promise((r) => echo.close(r));
});

describe("ToxiproxyLinks", () => {
  it("blackhole: no bytes pass either way on open or new connections; heal closes them and restores new ones", async () => {
    const open = await connected(QUORUM);
    expect(await echoTime(open)).toBeTypeOf("number");

    await links.cut([QUORUM], "blackhole");
    const received = upstreamBytes;
    expect(await echoTime(open)).toBe("silent");
    const fresh = await connected(QUORUM); // accepted, then hears nothing, as with dropped packets
    expect(await echoTime(fresh)).toBe("silent");
    expect(upstreamBytes).toBe(received); // nothing reached the server either
    const { toxics } = await proxy(QUORUM);
    expect(toxics.map((t) => [t.type, t.stream, t.attributes.timeout]).sort()).toEqual([
      ["timeout", "downstream", 0],
      ["timeout", "upstream", 0],
    ]);
    // The other link is untouched.
    expect(await echoTime(await connected(CLIENT))).toBeTypeOf("number");

    await links.heal([QUORUM]);
    expect(await closedWithin(open, 1000)).toBe(true);
    expect(await echoTime(await connected(QUORUM))).toBeTypeOf("number");
    expect((await proxy(QUORUM)).toxics).toEqual([]);
  });

  it("drop-replies: requests still reach the server, its replies vanish; heal restores them", async () => {
    const open = await connected(CLIENT);
    expect(await echoTime(open)).toBeTypeOf("number");
    await links.cut([CLIENT], "drop-replies");
    const received = upstreamBytes;
    expect(await echoTime(open, "request")).toBe("silent");
    expect(upstreamBytes).toBe(received + "request".length); // the request got through
    const { toxics } = await proxy(CLIENT);
    expect(toxics.map((t) => [t.type, t.stream])).toEqual([["timeout", "downstream"]]);
    await links.heal([CLIENT]);
    expect(await echoTime(await connected(CLIENT))).toBeTypeOf("number");
  });

  it("refuse: new connections are refused and open ones closed; heal lets them in again", async () => {
    const open = await connected(CLIENT);
    const port = await portOf(CLIENT);
    await links.cut([CLIENT], "refuse");
    expect(await closedWithin(open, 1000)).toBe(true);
    expect(await connect(port)).toBe("ECONNREFUSED");
    expect((await proxy(CLIENT)).enabled).toBe(false);

    await links.heal([CLIENT]);
    expect((await proxy(CLIENT)).enabled).toBe(true);
    expect(await echoTime(await connected(CLIENT))).toBeTypeOf("number");
  });

  it("slow: adds the latency in each direction; a second slow updates it; heal removes it", async () => {
    const socket = await connected(QUORUM);
    const before = await echoTime(socket);
    expect(before).toBeLessThan(100);

    await links.slow([QUORUM], 150, 0);
    const slowed = await echoTime(socket, "ping", 2000);
    expect(slowed).toBeGreaterThanOrEqual(280); // 150 up + 150 down

    await links.slow([QUORUM], 20, 5);
    const attrs = (await proxy(QUORUM)).toxics.map((t) => t.attributes);
    expect(attrs).toEqual([
      { latency: 20, jitter: 5 },
      { latency: 20, jitter: 5 },
    ]);

    await links.heal([QUORUM]);
    expect((await proxy(QUORUM)).toxics).toEqual([]);
    expect(await echoTime(await connected(QUORUM))).toBeLessThan(100);
  });

  it("cuts and heals a 24-proxy partition concurrently, leaving others' toxics alone until a full heal", async () => {
    const partition = [
      ...linksBetween("zk1", "zk3"),
      ...linksBetween("zk1", "zk4"),
      ...linksBetween("zk1", "zk5"),
      ...linksBetween("zk2", "zk3"),
      ...linksBetween("zk2", "zk4"),
      ...linksBetween("zk2", "zk5"),
    ];
    expect(partition).toHaveLength(24);
    for (const link of partition) if (proxyName(link) !== proxyName(QUORUM)) await createProxy(link);
    const foreign = linksBetween("zk1", "zk3")[0]!;
    await api("POST", `/proxies/${proxyName(foreign)}/toxics`, { name: "someone-else", type: "latency" });

    await links.cut(partition, "blackhole");
    await links.cut(partition, "blackhole"); // idempotent
    for (const link of partition) {
      const ours = (await proxy(link)).toxics.filter((t) => t.name.startsWith(TOXIC_PREFIX));
      expect(ours).toHaveLength(2);
    }

    await links.heal(partition);
    for (const link of partition)
      expect((await proxy(link)).toxics.filter((t) => t.name.startsWith(TOXIC_PREFIX))).toEqual([]);
    expect((await proxy(foreign)).toxics.map((t) => t.name)).toEqual(["someone-else"]);
    await links.heal(partition); // nothing left to heal: still fine

    await links.cut([CLIENT], "refuse");
    await links.heal(); // POST /reset
    expect((await proxy(foreign)).toxics).toEqual([]);
    expect((await proxy(CLIENT)).enabled).toBe(true);
  });

  it("names the proxies it could not reach, and still cuts the others", async () => {
    const missing: Link = { kind: "client", to: "zk9" };
    await expect(links.cut([missing, CLIENT], "refuse")).rejects.toThrow(
      /1 of 2 proxies failed: client-zk9: .*404 proxy not found/,
    );
    expect((await proxy(CLIENT)).enabled).toBe(false);
  });

  it("fails clearly when the API is gone", async () => {
    const dead = new ToxiproxyLinks("http://127.0.0.1:1", { attempts: 2, timeoutMs: 500 });
    await expect(dead.heal([CLIENT])).rejects.toThrow(/client-zk3/);
  });
});
