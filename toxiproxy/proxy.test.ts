import { randomBytes } from "node:crypto";
import net from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Harness } from "./testing/harness.ts";
import { connect, echoServer, Probe, roundTrip, sleep, startHarness, until } from "./testing/harness.ts";
import { silentLogger } from "./logger.ts";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const refused = (port: number): Promise<string | undefined> =>
  connect(port).then(
    (s) => {
      s.destroy();
      return undefined;
    },
    (err: NodeJS.ErrnoException) => err.code,
  );

describe("proxying", () => {
  it("passes 8 MiB each way unchanged on the no-toxic fast path", async () => {
    const port = await h.proxy("p");
    const probe = new Probe(await connect(port));
    const payload = randomBytes(8 << 20);
    probe.socket.write(payload);
    await probe.waitBytes(payload.length, 5000);
    expect(Buffer.concat(probe.chunks).equals(payload)).toBe(true);
    probe.socket.destroy();
  });

  it("passes a half-close on after the data before it", async () => {
    const port = await h.proxy("p");
    await h.api("POST", "/proxies/p/toxics", { type: "latency", attributes: { latency: 50 } });
    const probe = new Probe(await connect(port));
    probe.socket.end("last words");
    await probe.closed;
    expect(probe.text()).toBe("last words");
    expect(probe.endedAt).toBeGreaterThanOrEqual(45);
  });

  it("accepts, then closes the client when the upstream is down", async () => {
    const dead = await echoServer();
    await dead.close();
    const port = await h.proxy("p", { upstream: `127.0.0.1:${dead.port}` });
    const probe = new Probe(await connect(port));
    await probe.closed;
    expect(probe.text()).toBe("");
  });

  it("forwards a reset from the upstream to the client", async () => {
    const rude = await echoServer((s) => s.on("data", () => s.resetAndDestroy()));
    const port = await h.proxy("p", { upstream: `127.0.0.1:${rude.port}` });
    const probe = new Probe(await connect(port));
    probe.socket.write("hello?");
    await probe.closed;
    expect(probe.error).toBe("ECONNRESET");
    await rude.close();
  });
});

describe("--refuse-while-upstream-down", () => {
  /** An echo upstream on a given port, so it can die and come back where the proxy points. */
  const upstreamOn = async (port: number): Promise<{ close(): Promise<void> }> => {
    const sockets = new Set<net.Socket>();
    const server = net.createServer((s) => {
      sockets.add(s);
      s.on("error", () => {});
      s.pipe(s);
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    return {
      close: () =>
        new Promise<void>((resolve) => {
          for (const s of sockets) s.destroy();
          server.close(() => resolve());
        }),
    };
  };
  const eventually = async (what: string, check: () => Promise<boolean>): Promise<void> => {
    for (let i = 0; i < 400; i++) {
      if (await check()) return;
      await sleep(25);
    }
    throw new Error(`never ${what}`);
  };
  const echoes = async (port: number): Promise<boolean> => {
    try {
      const s = await connect(port);
      try {
        await roundTrip(s, "ping");
        return true;
      } finally {
        s.destroy();
      }
    } catch {
      return false;
    }
  };

  it("refuses while the upstream is down, serves once it answers, refuses again after it dies", async () => {
    const r = await startHarness(1, silentLogger, { refuseWhileUpstreamDown: true });
    try {
      const spare = await echoServer();
      const upstreamPort = spare.port;
      await spare.close();
      const port = await r.proxy("p", { upstream: `127.0.0.1:${upstreamPort}` });
      await eventually(
        "refused before the upstream exists",
        async () => (await refused(port)) === "ECONNREFUSED",
      );
      const shown = (await (await r.api("GET", "/proxies/p")).json()) as { enabled: boolean };
      expect(shown.enabled).toBe(true);

      let upstream = await upstreamOn(upstreamPort);
      await eventually("served once the upstream listens", () => echoes(port));
      const live = await connect(port);
      await upstream.close();
      await eventually(
        "refused after the upstream died",
        async () => (await refused(port)) === "ECONNREFUSED",
      );

      upstream = await upstreamOn(upstreamPort);
      await eventually("served again", () => echoes(port));
      await upstream.close();
      live.destroy();
    } finally {
      await r.close();
    }
  });

  it("a disabled refusing proxy stops probing and stays refused; enabling brings it back", async () => {
    const r = await startHarness(1, silentLogger, { refuseWhileUpstreamDown: true });
    try {
      const port = await r.proxy("p");
      await eventually("served", () => echoes(port));
      await r.api("POST", "/proxies/p", { enabled: false });
      expect(await refused(port)).toBe("ECONNREFUSED");
      await sleep(250);
      expect(await refused(port)).toBe("ECONNREFUSED");
      await r.api("POST", "/proxies/p", { enabled: true });
      await eventually("served after enabling", () => echoes(port));
    } finally {
      await r.close();
    }
  });
});

describe("enabling, disabling, deleting, resetting", () => {
  it("a disabled proxy refuses new connections and closes live ones; enabling restores it", async () => {
    const port = await h.proxy("p");
    const live = new Probe(await connect(port));
    await roundTrip(live.socket, "up");
    const res = await h.api("POST", "/proxies/p", { enabled: false });
    expect(res.status).toBe(200);
    await live.closed;
    expect(await refused(port)).toBe("ECONNREFUSED");
    await until(() => h.echo.sockets.every((s) => s.destroyed));

    await h.api("PATCH", "/proxies/p", { enabled: true });
    const again = await connect(port);
    await roundTrip(again, "back");
    again.destroy();
  });

  it("deleting a proxy closes its connections and frees its port", async () => {
    const port = await h.proxy("p");
    const live = new Probe(await connect(port));
    await h.api("DELETE", "/proxies/p");
    await live.closed;
    expect(await refused(port)).toBe("ECONNREFUSED");
  });

  it("changing the upstream restarts the proxy and drops its connections", async () => {
    const other = await echoServer((s) => s.on("data", () => s.write("other")));
    const port = await h.proxy("p");
    const live = new Probe(await connect(port));
    const res = await h.api("PATCH", "/proxies/p", { upstream: `127.0.0.1:${other.port}` });
    expect(res.status).toBe(200);
    await live.closed;
    const socket = await connect(port);
    const probe = new Probe(socket);
    socket.write("x");
    await probe.waitBytes(5);
    expect(probe.text()).toBe("other");
    socket.destroy();
    await other.close();
  });

  it("/reset heals everything: toxics gone, blackholed connections closed, proxies enabled", async () => {
    const a = await h.proxy("a");
    const b = await h.proxy("b");
    await h.api("POST", "/proxies/a/toxics", { type: "timeout", attributes: { timeout: 0 } });
    await h.api("POST", "/proxies/a/toxics", {
      type: "latency",
      stream: "upstream",
      attributes: { latency: 500 },
    });
    const blackholed = new Probe(await connect(a));
    blackholed.socket.write("lost");
    await sleep(50);
    await h.api("POST", "/proxies/b", { enabled: false });
    expect(await refused(b)).toBe("ECONNREFUSED");

    expect((await h.api("POST", "/reset")).status).toBe(204);
    await blackholed.closed;
    for (const port of [a, b]) {
      const socket = await connect(port);
      await roundTrip(socket, "healed");
      socket.destroy();
    }
    const all = (await h.api("GET", "/proxies").then((r) => r.json())) as Record<
      string,
      { toxics: unknown[] }
    >;
    expect(Object.values(all).map((p) => p.toxics)).toEqual([[], []]);
  });
});

describe("toxic edits under load", () => {
  /** Streams numbered bytes through the proxy as fast as it takes them; checks what comes back. */
  async function pump(
    port: number,
  ): Promise<{ stop(): Promise<number>; received(): number; socket: net.Socket }> {
    const socket = await connect(port);
    let sent = 0;
    let received = 0;
    let corrupt = false;
    let running = true;
    socket.on("data", (d: Buffer) => {
      for (let i = 0; i < d.length; i++) if (d[i] !== (received + i) % 251) corrupt = true;
      received += d.length;
    });
    socket.on("error", () => {});
    const block = Buffer.alloc(64 * 1024);
    const write = (): void => {
      while (running) {
        for (let i = 0; i < block.length; i++) block[i] = (sent + i) % 251;
        sent += block.length;
        if (!socket.write(Buffer.from(block))) return void socket.once("drain", write);
      }
    };
    write();
    return {
      socket,
      received: () => received,
      async stop() {
        running = false;
        await until(() => received === sent || socket.destroyed, 3000, "echo to catch up");
        expect(corrupt).toBe(false);
        socket.destroy();
        return received;
      },
    };
  }

  // Settings that would hold a queued megabyte for seconds, so an edit that waited for data would show.
  for (const [type, attributes] of [
    ["latency", { latency: 2000, jitter: 100 }],
    ["bandwidth", { rate: 100 }],
    ["slicer", { average_size: 100, size_variation: 50, delay: 1000 }],
    ["noop", {}],
    ["limit_data", { bytes: 1 << 30 }],
  ] as const) {
    it(`adding, updating and removing ${type} under load never waits and loses nothing`, async () => {
      const port = await h.proxy("p");
      const load = await pump(port);
      await sleep(50);
      await h.api("POST", "/proxies/p/toxics", { type, stream: "upstream", attributes });
      await h.api("POST", "/proxies/p/toxics", { type, name: "down", attributes });
      await sleep(150);
      await h.api("PATCH", "/proxies/p/toxics/down", { attributes });
      await sleep(50);
      const before = load.received();
      expect((await h.api("DELETE", `/proxies/p/toxics/${type}_upstream`)).status).toBe(204);
      expect((await h.api("DELETE", "/proxies/p/toxics/down")).status).toBe(204);
      await until(() => load.received() > before + (4 << 20), 30_000, "traffic to resume");
      expect(await load.stop()).toBeGreaterThan(4 << 20);
    });
  }

  it("removing a blackhole under load answers at once and closes the connection", async () => {
    const port = await h.proxy("p");
    const load = await pump(port);
    await sleep(50);
    await h.api("POST", "/proxies/p/toxics", { type: "timeout", attributes: { timeout: 0 } });
    await sleep(200);
    expect((await h.api("DELETE", "/proxies/p/toxics/timeout_downstream")).status).toBe(204);
    await until(() => load.socket.destroyed || load.socket.readableEnded, 30_000, "connection closed");
    load.socket.destroy();
  });
});

describe("--seed", () => {
  /** Which of `n` sequential connections a toxicity-0.5 latency toxic picked, under `seed`. */
  async function picks(seed: number, n: number): Promise<boolean[]> {
    const harness = await startHarness(seed);
    try {
      const port = await harness.proxy("zk1");
      await harness.api("POST", "/proxies/zk1/toxics", {
        type: "latency",
        toxicity: 0.5,
        attributes: { latency: 400 },
      });
      const sockets: net.Socket[] = [];
      for (let i = 0; i < n; i++) {
        const socket = await connect(port);
        sockets.push(socket);
        await roundTrip(socket, "hello").then(() => undefined);
      }
      // connect() resolves after the accept; one round trip each made them connect in this order.
      const rtts = await Promise.all(sockets.map((s) => roundTrip(s, "x")));
      for (const s of sockets) s.destroy();
      return rtts.map((rtt) => rtt > 200);
    } finally {
      await harness.close();
    }
  }

  it("makes toxicity draws reproducible (and a different seed draws differently)", async () => {
    const [a, b, c] = await Promise.all([picks(42, 16), picks(42, 16), picks(43, 16)]);
    expect(a).toEqual(b);
    expect(a.some(Boolean) && !a.every(Boolean)).toBe(true);
    expect(c).not.toEqual(a);
  });

  /** Per-message delays of a jittery latency toxic, one message at a time, under `seed`. */
  async function jitter(seed: number): Promise<number[]> {
    const harness = await startHarness(seed);
    try {
      const port = await harness.proxy("zk1");
      await harness.api("POST", "/proxies/zk1/toxics", {
        type: "latency",
        attributes: { latency: 300, jitter: 250 },
      });
      const socket = await connect(port);
      const rtts = [];
      for (let i = 0; i < 8; i++) rtts.push(await roundTrip(socket, `m${i}`));
      socket.destroy();
      return rtts;
    } finally {
      await harness.close();
    }
  }

  it("makes jitter reproducible", async () => {
    const [a, b] = await Promise.all([jitter(7), jitter(7)]);
    // Draws span 500 ms; what a busy machine adds to one round trip is far less than the 60 ms allowed.
    a.forEach((rtt, i) => expect(Math.abs(rtt - (b[i] as number))).toBeLessThan(60));
    expect(Math.max(...a) - Math.min(...a)).toBeGreaterThan(120);
  });
});
