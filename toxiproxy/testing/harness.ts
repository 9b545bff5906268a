/** Test helpers (not part of the server): a quiet server, TCP echo upstreams and client-side probes. */
import net from "node:net";
import { Toxiproxy } from "toxiproxy-node-client";
import type { ProxyLogger } from "../logger.ts";
import { silentLogger } from "../logger.ts";
import type { ToxiproxyOptions, ToxiproxyServer } from "../server.ts";
import { startToxiproxy } from "../server.ts";

export interface Harness {
  server: ToxiproxyServer;
  client: Toxiproxy;
  echo: Upstream;
  /** Creates a proxy to the echo server on 127.0.0.1:0 and returns its port. */
  proxy(name: string, body?: Record<string, unknown>): Promise<number>;
  /** Raw API call. */
  api(method: string, path: string, body?: unknown): Promise<Response>;
  close(): Promise<void>;
}

export async function startHarness(
  seed = 1,
  logger: ProxyLogger = silentLogger,
  options: Pick<ToxiproxyOptions, "proxyMetrics" | "runtimeMetrics" | "refuseWhileUpstreamDown"> = {},
): Promise<Harness> {
  const server = await startToxiproxy({ host: "127.0.0.1", port: 0, seed, logger, ...options });
  const echo = await echoServer();
  const api = (method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`${server.url}${path}`, {
      method,
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
  return {
    server,
    client: new Toxiproxy(server.url),
    echo,
    api,
    async proxy(name, body = {}) {
      const res = await api("POST", "/proxies", {
        name,
        listen: "127.0.0.1:0",
        upstream: `127.0.0.1:${echo.port}`,
        ...body,
      });
      if (res.status !== 201) throw new Error(`create proxy: ${res.status} ${await res.text()}`);
      const { listen } = (await res.json()) as { listen: string };
      return portOf(listen);
    },
    async close() {
      await server.close();
      await echo.close();
    },
  };
}

export function portOf(listen: string): number {
  return Number(listen.slice(listen.lastIndexOf(":") + 1));
}

export interface Upstream {
  port: number;
  /** Sockets the server accepted, newest last. */
  sockets: net.Socket[];
  close(): Promise<void>;
}

/** A TCP server on 127.0.0.1:0; by default it echoes (and half-closes back when the client does). */
export async function echoServer(onSocket: (s: net.Socket) => void = (s) => s.pipe(s)): Promise<Upstream> {
  const sockets: net.Socket[] = [];
  const server = net.createServer({ noDelay: true }, (socket) => {
    sockets.push(socket);
    socket.on("error", () => {});
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: "127.0.0.1", noDelay: true }, () => {
      socket.off("error", reject);
      resolve(socket);
    });
    socket.once("error", reject);
  });
}

/** Collects what a socket receives until it closes, and how it closed. */
export class Probe {
  readonly chunks: Buffer[] = [];
  readonly started = performance.now();
  /** ms since start of each data event. */
  readonly arrivals: number[] = [];
  error: string | undefined;
  endedAt: number | undefined;
  closedAt: number | undefined;
  readonly closed: Promise<void>;

  constructor(readonly socket: net.Socket) {
    socket.on("data", (d: Buffer) => {
      this.chunks.push(d);
      this.arrivals.push(performance.now() - this.started);
    });
    socket.on("end", () => (this.endedAt = performance.now() - this.started));
    socket.on("error", (err: NodeJS.ErrnoException) => (this.error = err.code ?? err.message));
    this.closed = new Promise((resolve) =>
      socket.on("close", () => {
        this.closedAt = performance.now() - this.started;
        resolve();
      }),
    );
  }

  get bytes(): number {
    return this.chunks.reduce((n, c) => n + c.length, 0);
  }

  text(): string {
    return Buffer.concat(this.chunks).toString();
  }

  /** Resolves once `n` bytes arrived (rejects after `ms`). */
  waitBytes(n: number, ms = 2000): Promise<number> {
    return until(() => this.bytes >= n, ms, `${n} bytes (have ${this.bytes})`).then(
      () => performance.now() - this.started,
    );
  }
}

/** Sends `message` and resolves with the ms until as many bytes came back. */
export async function roundTrip(socket: net.Socket, message: string | Buffer): Promise<number> {
  const data = typeof message === "string" ? Buffer.from(message) : message;
  const start = performance.now();
  let got = 0;
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer): void => {
      got += d.length;
      if (got >= data.length) {
        cleanup();
        resolve(performance.now() - start);
      }
    };
    const onClose = (): void => {
      cleanup();
      reject(new Error("closed during round trip"));
    };
    const cleanup = (): void => {
      socket.off("data", onData);
      socket.off("close", onClose);
    };
    socket.on("data", onData);
    socket.on("close", onClose);
    socket.write(data);
  });
}

export async function until(cond: () => boolean, ms = 2000, what = "condition"): Promise<void> {
  const deadline = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
