import { closeSync, openSync, writeSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Clock } from "../core/clock.ts";
import type { ResourceEvent, ResourceReply, ResourceRequest } from "./resource-log.ts";

export interface ResourceServerOptions {
  /** Reject any token lower than the highest this key has accepted (seed 000's fencing). */
  fenced: boolean;
  /** resource.jsonl; appended and flushed per access. */
  logPath?: string;
  clock: Clock;
}

/**
 * The guarded resource the workloads act on: a small HTTP server on 127.0.0.1, outside ZooKeeper, as the
 * storage service in the seeds is. It serialises accesses in arrival order and logs each one.
 */
export class ResourceServer {
  private server: Server | null = null;
  private fd: number | null = null;
  private seq = 0;
  private readonly values = new Map<string, unknown>();
  private readonly maxToken = new Map<string, bigint>();
  private readonly appliedIds = new Map<string, Set<string>>();
  readonly events: ResourceEvent[] = [];

  constructor(private readonly opts: ResourceServerOptions) {}

  async start(): Promise<string> {
    if (this.opts.logPath) this.fd = openSync(this.opts.logPath, "a");
    this.server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString("utf8")));
      req.on("end", () => {
        let reply: ResourceReply;
        let status = 200;
        try {
          if (req.method !== "POST" || req.url !== "/access")
            throw new Error(`no route ${req.method} ${req.url}`);
          reply = this.access(JSON.parse(body) as ResourceRequest);
        } catch (err) {
          status = 400;
          reply = { accepted: false, reason: String(err instanceof Error ? err.message : err) };
        }
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(reply));
      });
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Apply one access; synchronous, so accesses are totally ordered. */
  access(r: ResourceRequest): ResourceReply {
    if (
      !r ||
      typeof r.key !== "string" ||
      typeof r.holder !== "string" ||
      !["enter", "exit", "write"].includes(r.op)
    ) {
      throw new Error("an access needs op (enter|exit|write), key and holder");
    }
    let accepted = true;
    let reason: string | undefined;
    if (this.opts.fenced) {
      if (r.token === undefined) {
        accepted = false;
        reason = "no token";
      } else {
        const token = BigInt(r.token);
        const max = this.maxToken.get(r.key);
        if (max !== undefined && token < max) {
          accepted = false;
          reason = `stale token ${token} < ${max}`;
        } else this.maxToken.set(r.key, token);
      }
    }
    let applied = false;
    let read: unknown;
    if (accepted) {
      if (r.op === "enter") read = this.values.get(r.key) ?? null;
      else if (r.op === "exit") {
        this.values.set(r.key, r.value);
        applied = true;
      } else {
        const ids = this.appliedIds.get(r.key) ?? new Set<string>();
        this.appliedIds.set(r.key, ids);
        if (r.idempotent && r.id !== undefined && ids.has(r.id)) applied = false;
        else {
          if (r.id !== undefined) ids.add(r.id);
          this.values.set(r.key, r.value);
          applied = true;
        }
      }
    }
    const event: ResourceEvent = {
      ...r,
      seq: this.seq++,
      time: this.opts.clock.now(),
      accepted,
      applied,
      ...(reason !== undefined ? { reason } : {}),
      ...(r.op === "enter" && accepted ? { read } : {}),
    };
    this.events.push(event);
    if (this.fd !== null) writeSync(this.fd, JSON.stringify(event) + "\n");
    return {
      accepted,
      ...(reason !== undefined ? { reason } : {}),
      ...(read !== undefined ? { value: read } : {}),
    };
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
