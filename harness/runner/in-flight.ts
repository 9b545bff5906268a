/**
 * Which clients have a write in flight right now (invoked, no reply yet) and which server their session was
 * last on: lost-replies aims at that server while the write is in flight, so the write commits and its reply
 * vanishes (seed 001's retried create). Fed by the op runner; read by the nemeses.
 */
import { NextEvent } from "../../kernel/next-event.ts";
import type { InFlightOps, InFlightWrite } from "../nemesis/nemesis.ts";

export class InFlightWrites implements InFlightOps {
  private readonly open = new Map<number, InFlightWrite>();
  /** The server each slot's session was last seen on (from its ops' completions). */
  private readonly nodes = new Map<number, string>();
  private readonly started = new NextEvent<InFlightWrite>();

  constructor(private readonly reads: ReadonlySet<string>) {}

  begin(slot: number, f: string): void {
    if (this.reads.has(f)) return;
    const node = this.nodes.get(slot);
    const w: InFlightWrite = { slot, f, ...(node !== undefined ? { node } : {}) };
    this.open.set(slot, w);
    this.started.emit(w);
  }

  end(slot: number, node: string | undefined): void {
    this.open.delete(slot);
    if (node !== undefined) this.nodes.set(slot, node);
  }

  writes(): InFlightWrite[] {
    return [...this.open.values()];
  }

  nextWrite(timeoutMs: number): Promise<InFlightWrite | null> {
    return this.started.next(timeoutMs);
  }

  /** Wake every waiter with nothing (the run is ending). */
  close(): void {
    this.started.close();
  }
}
