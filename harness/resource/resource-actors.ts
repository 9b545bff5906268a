/**
 * Who acts at the guarded resource right now, from its accesses as they arrive: which client slots are
 * inside a critical section (an accepted `enter` with no `exit` yet) and which slot leads (the writer of
 * the highest epoch). Aimed faults use it: a client paused inside its critical section, or while it
 * leads, is the schedule where ZooKeeper recipes break. Any recipe that acts through the resource gets it.
 */
import { NextEvent } from "../../kernel/next-event.ts";
import type { CaughtWrite, ClientActors, ResourceEvent } from "../../kernel/resource.ts";
import type { AccessGate } from "./access-gate.ts";

/** The client slot of an access: its holder reads "c<slot>/…" (every built-in recipe), else its process. */
export function slotOf(event: Pick<ResourceEvent, "holder" | "process">, clients: number): number | null {
  const m = typeof event.holder === "string" ? /^c(\d+)\//.exec(event.holder) : null;
  if (m) return Number(m[1]);
  return typeof event.process === "number" && clients > 0 ? event.process % clients : null;
}

export class ResourceActors implements ClientActors {
  /** Slot → sections it has entered and not left. */
  private readonly open = new Map<number, Set<string>>();
  private lead: { slot: number; epoch: bigint } | null = null;
  private sawSections = false;
  private readonly entries = new NextEvent<number>();
  private readonly leads = new NextEvent<number>();

  /** @param gate the resource's door, where `catchLeaderWrite` holds a write (none: it catches nothing) */
  constructor(
    private readonly clients: number,
    private readonly gate?: AccessGate,
  ) {}

  /** Feed every access, in arrival order. */
  observe(event: ResourceEvent): void {
    if (!event.accepted) return;
    const slot = slotOf(event, this.clients);
    if (slot === null) return;
    const section = String(event.section ?? event.holder);
    if (event.op === "enter") {
      this.sawSections = true;
      let open = this.open.get(slot);
      if (!open) this.open.set(slot, (open = new Set()));
      open.add(section);
      this.entries.emit(slot);
    } else if (event.op === "exit") {
      const open = this.open.get(slot);
      open?.delete(section);
      if (open?.size === 0) this.open.delete(slot);
    }
    const epoch = epochOf(event.epoch);
    if (this.isLeading(epoch)) {
      this.lead = { slot, epoch };
      this.leads.emit(slot);
    }
  }

  inSection(): number[] {
    return [...this.open.keys()];
  }

  leader(): number | null {
    return this.lead?.slot ?? null;
  }

  kind(): "holder" | "leader" | null {
    return this.sawSections ? "holder" : this.lead ? "leader" : null;
  }

  nextEntry(timeoutMs: number): Promise<number | null> {
    return this.entries.next(timeoutMs);
  }

  nextLeaderWrite(timeoutMs: number): Promise<number | null> {
    return this.leads.next(timeoutMs);
  }

  async catchLeaderWrite(timeoutMs: number, ok: (slot: number) => boolean): Promise<CaughtWrite | null> {
    if (!this.gate) return null;
    const caught: { slot?: number } = {};
    const held = await this.gate.holdNext((req) => {
      if (req.op !== "write" || !this.isLeading(epochOf(req.epoch))) return false;
      const slot = slotOf(req, this.clients);
      if (slot === null || !ok(slot)) return false;
      caught.slot = slot;
      return true;
    }, timeoutMs);
    return held && caught.slot !== undefined ? { slot: caught.slot, release: () => held.release() } : null;
  }

  /** Whether a write at `epoch` is the leader's: at the highest epoch yet. */
  private isLeading(epoch: bigint | null): epoch is bigint {
    return epoch !== null && (this.lead === null || epoch >= this.lead.epoch);
  }

  /** Stop waiting (end of the run): pending waits resolve with null. */
  close(): void {
    this.entries.close();
    this.leads.close();
  }
}

function epochOf(raw: unknown): bigint | null {
  if (typeof raw === "number" && Number.isInteger(raw)) return BigInt(raw);
  if (typeof raw === "string" && /^(0x[0-9a-f]+|\d+)$/i.test(raw)) return BigInt(raw);
  return null;
}
