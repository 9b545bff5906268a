/**
 * One proxy: a listener on `listen` that dials `upstream` for every accepted connection, and the toxics
 * applied to its connections. Disabling it stops listening (new connects are refused) and closes every
 * live connection; toxics survive.
 *
 * Toxiproxy accepts a connection and then closes it when the upstream cannot be dialled (its issue #265
 * asks for refusal). With `refuseWhileUpstreamDown` this proxy refuses instead, as a dead server would:
 * after a failed dial (and before the first connection) it closes its listener, probes the upstream and
 * listens again once the upstream accepts. Live connections are untouched.
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

export interface ProxyOptions {
  /** Set with -proxy-metrics. */
  metrics?: ProxyMetrics | undefined;
  /** Refuse connections while the upstream cannot be dialled (see above). */
  refuseWhileUpstreamDown?: boolean | undefined;
}

/** How often a refusing proxy tries its upstream. */
const PROBE_INTERVAL_MS = 100;

export interface ProxyChanges {
  listen?: string;
  upstream?: string;
  enabled?: boolean;
}

export class Proxy {
  readonly toxics: ToxicCollection;
  readonly connections = new Set<Connection>();
  private server: net.Server | undefined;
  /** On, as the API sees it; a refusing proxy is on while its listener is closed. */
  private on = false;
  private probe: { timer?: ReturnType<typeof setTimeout>; socket?: net.Socket } | undefined;
  private accepted = 0;
  private readonly context: ConnectionContext;

  constructor(
    readonly name: string,
    /** The requested address until started, then the bound one (port 0 → the real port). */
    public listen: string,
    public upstream: string,
    seed: number,
    private readonly log: ProxyLogger,
    private readonly options: ProxyOptions = {},
  ) {
    const metrics = options.metrics;
    this.toxics = new ToxicCollection(() => this.connections);
    this.context = {
      proxy: name,
      seed,
      log,
      chain: (direction: Direction) => this.toxics.chain(direction),
      counters: () => metrics?.counters(name, this.listen, this.upstream) ?? UNCOUNTED,
      closed: (connection) => this.connections.delete(connection),
      upstreamUnreachable: () => this.refuseUntilUpstreamAnswers(),
    };
  }

  get enabled(): boolean {
    return this.on;
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
    if (this.on) return;
    await this.bind();
    this.on = true;
    this.log.info({ proxy: this.name, listen: this.listen, upstream: this.upstream }, "started proxy");
    if (this.options.refuseWhileUpstreamDown) this.refuseUntilUpstreamAnswers();
  }

  private async bind(): Promise<void> {
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
  }

  /** Stops listening and closes every connection. */
  stop(): void {
    if (!this.on) return;
    this.on = false;
    this.stopProbe();
    this.server?.close();
    this.server = undefined;
    for (const connection of [...this.connections]) connection.destroy();
    this.log.info({ proxy: this.name, listen: this.listen }, "stopped proxy");
  }

  /** Refusing mode: close the listener, then probe the upstream and listen again once it accepts. */
  private refuseUntilUpstreamAnswers(): void {
    if (!this.options.refuseWhileUpstreamDown || !this.on || this.probe) return;
    this.server?.close();
    this.server = undefined;
    this.log.debug({ proxy: this.name, upstream: this.upstream }, "upstream down; refusing");
    const probe: NonNullable<Proxy["probe"]> = {};
    this.probe = probe;
    const attempt = (): void => {
      if (this.probe !== probe) return;
      let target: { host: string; port: number };
      try {
        target = splitHostPort(this.upstream);
      } catch {
        probe.timer = setTimeout(attempt, PROBE_INTERVAL_MS);
        return;
      }
      const socket = net.connect({ host: target.host || "localhost", port: target.port });
      probe.socket = socket;
      socket.once("connect", () => {
        socket.destroy();
        if (this.probe !== probe) return;
        this.bind().then(
          () => {
            if (this.probe !== probe) return this.server?.close();
            this.probe = undefined;
            this.log.debug({ proxy: this.name, upstream: this.upstream }, "upstream up; listening");
          },
          (err: unknown) => {
            this.log.warn({ proxy: this.name, err: String(err) }, "could not listen again; retrying");
            probe.timer = setTimeout(attempt, PROBE_INTERVAL_MS);
          },
        );
      });
      socket.once("error", () => {
        socket.destroy();
        if (this.probe === probe) probe.timer = setTimeout(attempt, PROBE_INTERVAL_MS);
      });
    };
    attempt();
  }

  private stopProbe(): void {
    if (this.probe?.timer) clearTimeout(this.probe.timer);
    this.probe?.socket?.destroy();
    this.probe = undefined;
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
