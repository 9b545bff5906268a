/**
 * Which clients have a write in flight right now (invoked, no reply yet) and which server their session was
 * last on: lost-replies aims at that server while the write is in flight, so the write commits and its reply
 * vanishes (seed 001's retried create). It can also catch a write before it is sent, and hold it until the
 * fault is in place: a write in flight is over in milliseconds, before a fault aimed at it lands. Fed by the
 * op runner; read by the nemeses.
 */
import { NextEvent } from "../../kernel/next-event.ts";
import type { HeldWrite, InFlightOps, InFlightWrite } from "../nemesis/nemesis.ts";

/** A caught write goes out after this long even if the nemesis holding it never lets go. */
const HOLD_MAX_MS = 5000;

export class InFlightWrites implements InFlightOps {
  private readonly open = new Map<number, InFlightWrite>();
  /** The server each slot's session was last seen on (from its ops' completions). */
  private readonly nodes = new Map<number, string>();
  private readonly started = new NextEvent<InFlightWrite>();
  private catcher: { resolve: (w: HeldWrite | null) => void; timer: ReturnType<typeof setTimeout> } | null =
    null;

  private readonly aimAt: ReadonlySet<string> | undefined;

  /**
   * @param reads ops that change nothing (never aimed at)
   * @param aimAt the writes aimed faults are meant for (the workload's `aimAt`); default every write
   */
  constructor(
    private readonly reads: ReadonlySet<string>,
    aimAt?: readonly string[],
  ) {
    this.aimAt = aimAt ? new Set(aimAt) : undefined;
  }

  aimsAt(f: string): boolean {
    return !this.reads.has(f) && (!this.aimAt || this.aimAt.has(f));
  }

  /**
   * Before an op is sent: when a nemesis is catching (catchNextWrite) and this is a write it aims at, on a
   * server known, hand it over and wait until the nemesis lets it go.
   */
  async beforeInvoke(slot: number, f: string): Promise<void> {
    const c = this.catcher;
    if (!c || !this.aimsAt(f)) return;
    const node = this.nodes.get(slot);
    if (node === undefined) return;
    this.catcher = null;
    clearTimeout(c.timer);
    await new Promise<void>((go) => {
      const timer = setTimeout(go, HOLD_MAX_MS);
      c.resolve({
        slot,
        f,
        node,
        release: () => {
          clearTimeout(timer);
          go();
        },
      });
    });
  }

  catchNextWrite(timeoutMs: number): Promise<HeldWrite | null> {
    this.endCatch();
    return new Promise((resolve) => {
      this.catcher = { resolve, timer: setTimeout(() => this.endCatch(), timeoutMs) };
    });
  }

  private endCatch(): void {
    const c = this.catcher;
    this.catcher = null;
    if (!c) return;
    clearTimeout(c.timer);
    c.resolve(null);
  }

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
    this.endCatch();
  }
}
