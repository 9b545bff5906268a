/**
 * A proxied connection: the accepted client socket, the socket it dials to the upstream, and a link each
 * way (upstream = client → server, downstream = server → client). Half-closes pass through (a FIN goes on
 * after the data before it); an error or RST on one side resets or closes the other.
 */
import net from "node:net";
import type { Socket } from "node:net";
import type { LinkOwner } from "./link.ts";
import { Link } from "./link.ts";
import type { ProxyLogger } from "./logger.ts";
import { errCode } from "./logger.ts";
import type { LinkCounters } from "./proxy-metrics.ts";
import { Random } from "./random.ts";
import { ReadBuffers } from "./slab.ts";
import type { ToxicSettings } from "./stage.ts";
import type { Direction } from "./toxics/toxic.ts";

/** How long a closing connection waits for its last bytes to leave before it is destroyed. */
const CLOSE_GRACE_MS = 2000;

export interface ConnectionContext {
  readonly proxy: string;
  readonly seed: number;
  readonly log: ProxyLogger;
  chain(direction: Direction): readonly ToxicSettings[];
  /** Byte counters for a connection just made, labelled as the proxy is now (once per connection). */
  counters(): LinkCounters;
  closed(connection: Connection): void;
  /** The upstream could not be dialled (refused, unreachable, unknown host). */
  upstreamUnreachable?(): void;
}

type State = "connecting" | "open" | "closing" | "closed";

export class Connection implements LinkOwner {
  readonly upstream: Socket;
  private links: Link[] = [];
  private state: State = "connecting";
  private graceTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly ctx: ConnectionContext,
    readonly index: number,
    readonly client: Socket,
    target: { host: string; port: number },
  ) {
    const buffers = new ReadBuffers();
    const upstream = net.connect({
      host: target.host || "localhost",
      port: target.port,
      allowHalfOpen: true,
      // Large zero-copy reads from the upstream: see slab.ts.
      onread: {
        buffer: buffers.next,
        callback: (n, buf) => {
          if (this.state === "open") this.links[1]?.onData(buffers.take(buf, n));
          return true;
        },
      },
    });
    this.upstream = upstream;
    client.on("error", (err) => this.onError(client, err));
    upstream.on("error", (err) => this.onError(upstream, err));
    client.on("close", () => this.onClose());
    upstream.on("close", () => this.onClose());
    upstream.once("connect", () => this.open());
  }

  private open(): void {
    if (this.state !== "connecting") return;
    this.state = "open";
    this.upstream.setNoDelay(true);
    // Looked up once the upstream is connected: a failed dial leaves no series, as in toxiproxy.
    const counters = this.ctx.counters();
    const link = (direction: Direction, src: Socket, dst: Socket): Link =>
      new Link(this, direction, src, dst, this.ctx.chain(direction), counters[direction]);
    this.links = [
      link("upstream", this.client, this.upstream),
      link("downstream", this.upstream, this.client),
    ];
    for (const link of this.links) link.start(link.direction === "downstream");
  }

  link(direction: Direction): Link | undefined {
    return this.links.find((l) => l.direction === direction);
  }

  random(direction: Direction, toxic: string, purpose: string): Random {
    return Random.derive(this.ctx.seed, this.ctx.proxy, this.index, direction, toxic, purpose);
  }

  /** Closes both sides gracefully: what is already on its way to a socket goes out, then FIN, then close. */
  close(): void {
    if (this.state === "closing" || this.state === "closed") return;
    if (this.state === "connecting") return this.destroy();
    this.state = "closing";
    for (const link of this.links) link.shutdown();
    for (const socket of [this.client, this.upstream]) {
      if (socket.writableFinished) socket.destroy();
      else socket.once("finish", () => socket.destroy());
    }
    this.graceTimer = setTimeout(() => this.destroy(), CLOSE_GRACE_MS);
    this.graceTimer.unref();
  }

  /** Closes both sockets now (a disabled or deleted proxy). */
  destroy(): void {
    this.teardown();
    this.client.destroy();
    this.upstream.destroy();
  }

  /** Resets both sockets now: each peer sees ECONNRESET. */
  reset(): void {
    this.teardown();
    resetSocket(this.client);
    resetSocket(this.upstream);
  }

  fail(err: unknown): void {
    this.ctx.log.error({ proxy: this.ctx.proxy, err: String(err) }, "toxic failed; closing the connection");
    this.destroy();
  }

  private onError(socket: Socket, err: Error): void {
    const side = socket === this.client ? "client" : "upstream";
    if (socket === this.upstream && this.state === "connecting") this.ctx.upstreamUnreachable?.();
    this.ctx.log.debug({ proxy: this.ctx.proxy, side, code: errCode(err) }, "connection error");
    const peer = socket === this.client ? this.upstream : this.client;
    this.teardown();
    if (errCode(err) === "ECONNRESET" && this.links.length > 0) resetSocket(peer);
    else peer.destroy();
  }

  private onClose(): void {
    if (this.client.destroyed && this.upstream.destroyed) this.teardown();
    else if (this.state === "connecting") this.destroy();
  }

  private teardown(): void {
    if (this.state === "closed") return;
    this.state = "closed";
    if (this.graceTimer) clearTimeout(this.graceTimer);
    for (const link of this.links) link.abort();
    this.ctx.closed(this);
  }
}

function resetSocket(socket: Socket): void {
  if (socket.destroyed) return;
  if (typeof socket.resetAndDestroy === "function" && socket.readyState !== "opening")
    socket.resetAndDestroy();
  else socket.destroy();
}
