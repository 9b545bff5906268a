import { closeSync, openSync, writeSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Clock } from "../../kernel/clock.ts";
import type { ResourceEvent, ResourceReply, ResourceRequest } from "../../kernel/resource.ts";
import { GuardedResource } from "../../workloads/guarded-resource.ts";
import type { AccessGate } from "./access-gate.ts";

export interface ResourceServerOptions {
  /** Reject any token lower than the highest this key has accepted (seed 000's fencing). */
  fenced: boolean;
  /** resource.jsonl; appended and flushed per access. */
  logPath?: string;
  clock: Clock;
  /** Where an aimed fault may hold an access before it is applied. */
  gate?: AccessGate;
}

/**
 * The guarded resource the workloads act on, served on 127.0.0.1 outside ZooKeeper, as the storage service
 * in the seeds is. Worker processes reach it over HTTP; every access is appended to resource.jsonl.
 */
export class ResourceServer {
  private server: Server | null = null;
  private fd: number | null = null;
  private readonly resource: GuardedResource;
  private readonly listeners: ((event: ResourceEvent) => void)[] = [];

  constructor(private readonly opts: ResourceServerOptions) {
    this.resource = new GuardedResource({
      fenced: opts.fenced,
      clock: opts.clock,
      onEvent: (event) => {
        if (this.fd !== null) writeSync(this.fd, JSON.stringify(event) + "\n");
        for (const listener of this.listeners) listener(event);
      },
    });
  }

  /** Call `listener` with every access as it is logged (live, for aimed faults). */
  onEvent(listener: (event: ResourceEvent) => void): void {
    this.listeners.push(listener);
  }

  get events(): readonly ResourceEvent[] {
    return this.resource.events;
  }

  async start(): Promise<string> {
    if (this.opts.logPath) this.fd = openSync(this.opts.logPath, "a");
    this.server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString("utf8")));
      req.on("end", () => {
        const answer = (status: number, reply: ResourceReply): void => {
          res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(reply));
        };
        const refuse = (err: unknown): void =>
          answer(400, { accepted: false, reason: String(err instanceof Error ? err.message : err) });
        let request: ResourceRequest;
        try {
          if (req.method !== "POST" || req.url !== "/access")
            throw new Error(`no route ${req.method} ${req.url}`);
          request = JSON.parse(body) as ResourceRequest;
        } catch (err) {
          refuse(err);
          return;
        }
        const apply = (): void => {
          try {
            answer(200, this.resource.access(request));
          } catch (err) {
            refuse(err);
          }
        };
        const held = this.opts.gate?.pass(request);
        if (held) void held.then(apply);
        else apply();
      });
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Apply one access without HTTP (the crash-safety fixture records this way). */
  access(r: ResourceRequest): ResourceReply {
    return this.resource.access(r);
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    // A held access is let in and answered before the connections close.
    const held = this.opts.gate?.holding ?? 0;
    this.opts.gate?.close();
    if (held > 0) await new Promise((resolve) => setImmediate(resolve));
    if (s) {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
