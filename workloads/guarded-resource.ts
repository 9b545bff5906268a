/**
 * The guarded resource's rules, in memory: accesses applied one at a time in arrival order, fencing tokens
 * checked when it runs fenced (seed 000), an idempotent sink applying an id once. The harness serves it
 * over HTTP (harness/resource/resource-server.ts); recipe tests call `access` directly.
 */
import type { Clock } from "../kernel/clock.ts";
import type { ResourceEvent, ResourceReply, ResourceRequest } from "../kernel/resource.ts";

export interface GuardedResourceOptions {
  /** Reject any token lower than the highest this key has accepted. */
  fenced: boolean;
  clock: Clock;
  /** Called with each event as it is logged (the server appends it to resource.jsonl). */
  onEvent?: (event: ResourceEvent) => void;
}

export class GuardedResource {
  private seq = 0;
  private readonly values = new Map<string, unknown>();
  private readonly maxToken = new Map<string, bigint>();
  private readonly appliedIds = new Map<string, Set<string>>();
  readonly events: ResourceEvent[] = [];

  constructor(private readonly opts: GuardedResourceOptions) {}

  /** Apply one access; synchronous, so accesses are totally ordered. Throws on a malformed request. */
  access(r: ResourceRequest): ResourceReply {
    if (
      !r ||
      typeof r.key !== "string" ||
      typeof r.holder !== "string" ||
      !["enter", "exit", "write"].includes(r.op)
    ) {
      throw new Error("an access needs op (enter|exit|write), key and holder");
    }
    const { accepted, reason } = this.admit(r);
    let applied = false;
    let read: unknown;
    if (accepted) {
      if (r.op === "enter") read = this.values.get(r.key) ?? null;
      else if (r.op === "exit") {
        this.values.set(r.key, r.value);
        applied = true;
      } else applied = this.write(r);
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
    this.opts.onEvent?.(event);
    return {
      accepted,
      ...(reason !== undefined ? { reason } : {}),
      ...(read !== undefined ? { value: read } : {}),
    };
  }

  /** Fencing: a token lower than the key's highest accepted one is stale. */
  private admit(r: ResourceRequest): { accepted: boolean; reason?: string } {
    if (!this.opts.fenced) return { accepted: true };
    if (r.token === undefined) return { accepted: false, reason: "no token" };
    const token = BigInt(r.token);
    const max = this.maxToken.get(r.key);
    if (max !== undefined && token < max) return { accepted: false, reason: `stale token ${token} < ${max}` };
    this.maxToken.set(r.key, token);
    return { accepted: true };
  }

  /** A write; at an idempotent sink an id applied before is acknowledged and not applied again. */
  private write(r: ResourceRequest): boolean {
    const ids = this.appliedIds.get(r.key) ?? new Set<string>();
    this.appliedIds.set(r.key, ids);
    if (r.idempotent && r.id !== undefined && ids.has(r.id)) return false;
    if (r.id !== undefined) ids.add(r.id);
    this.values.set(r.key, r.value);
    return true;
  }
}
