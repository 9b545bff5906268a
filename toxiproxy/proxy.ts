/**
 * One proxy: a listener on `listen` that dials `upstream` for every accepted connection, and the toxics
 * applied to its connections. Disabling it stops listening (new connects are refused) and closes every
 * live connection; toxics survive.
 */
import net from "node:net";
import { bindHost, formatAddress, listenErrorMessage, splitHostPort } from "./address.ts";
import type { ConnectionContext } from "./connection.ts";
import { Connection } from "./connection.ts";
import { ApiError } from "./errors.ts";
import type { ProxyLogger } from "./logger.ts";
import type { ProxyMetrics } from "./proxy-metrics.ts";
import { UNCOUNTED } from "./proxy-metrics.ts";
import type { ToxicJson } from "./toxic-collection.ts";
import { ToxicCollection, toxicJson } from "./toxic-collection.ts";
import type { Direction } from "./toxics/toxic.ts";

export interface ProxyJson {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: ToxicJson[];
}

export interface ProxyChanges {
  listen?: string;
  upstream?: string;
  enabled?: boolean;
}

export class Proxy {
  readonly toxics: ToxicCollection;
  readonly connections = new Set<Connection>();
  private server: net.Server | undefined;
  private accepted = 0;
  private readonly context: ConnectionContext;

  constructor(
    readonly name: string,
    /** The requested address until started, then the bound one (port 0 → the real port). */
    public listen: string,
    public upstream: string,
    seed: number,
    private readonly log: ProxyLogger,
    /** Set with -proxy-metrics. */
    metrics?: ProxyMetrics,
  ) {
    this.toxics = new ToxicCollection(() => this.connections);
    this.context = {
      proxy: name,
      seed,
      log,
      chain: (direction: Direction) => this.toxics.chain(direction),
      counters: () => metrics?.counters(name, this.listen, this.upstream) ?? UNCOUNTED,
      closed: (connection) => this.connections.delete(connection),
    };
  }

  get enabled(): boolean {
    return this.server !== undefined;
  }

  toJSON(): ProxyJson {
    return {
      name: this.name,
      listen: this.listen,
      upstream: this.upstream,
      enabled: this.enabled,
      toxics: this.toxics.list().map(toxicJson),
    };
  }

  /** Starts listening; a bind failure is a 500 with Go's message. No-op when already listening. */
  async start(): Promise<void> {
    if (this.server) return;
    let host: string;
    let port: number;
    try {
      ({ host, port } = splitHostPort(this.listen));
    } catch (err) {
      throw new ApiError(`listen tcp ${(err as Error).message}`, 500);
    }
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) =>
      this.accept(socket),
    );
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ host: bindHost(host), port }, () => {
        server.off("error", reject);
        resolve();
      });
    }).catch((err: unknown) => {
      throw new ApiError(listenErrorMessage(this.listen, err), 500);
    });
    server.on("error", (err) => this.log.error({ proxy: this.name, err: err.message }, "listener error"));
    this.server = server;
    this.listen = formatAddress(server.address());
    this.log.info({ proxy: this.name, listen: this.listen, upstream: this.upstream }, "started proxy");
  }

  /** Stops listening and closes every connection. */
  stop(): void {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.close();
    for (const connection of [...this.connections]) connection.destroy();
    this.log.info({ proxy: this.name, listen: this.listen }, "stopped proxy");
  }

  /** POST/PATCH /proxies/{proxy}: a new listen or upstream restarts it (dropping connections). */
  async update(changes: ProxyChanges): Promise<void> {
    const listen = changes.listen ?? this.listen;
    const upstream = changes.upstream ?? this.upstream;
    const enabled = changes.enabled ?? this.enabled;
    if (listen !== this.listen || upstream !== this.upstream) {
      this.stop();
      this.listen = listen;
      this.upstream = upstream;
    }
    if (enabled) await this.start();
    else this.stop();
  }

  private accept(client: net.Socket): void {
    if (!this.server) {
      client.destroy();
      return;
    }
    client.setNoDelay(true);
    let target: { host: string; port: number };
    try {
      target = splitHostPort(this.upstream);
    } catch (err) {
      this.log.warn(
        { proxy: this.name, upstream: this.upstream, err: (err as Error).message },
        "bad upstream",
      );
      client.destroy();
      return;
    }
    const connection = new Connection(this.context, this.accepted++, client, target);
    this.connections.add(connection);
    this.log.debug({ proxy: this.name, client: client.remoteAddress, port: client.remotePort }, "accepted");
  }
}
