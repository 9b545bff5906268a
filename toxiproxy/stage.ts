/**
 * One toxic on one connection and direction: an input queue, a running toxic (or noop, when the toxicity
 * draw spared this connection) and a pointer to the next stage or the sink. Interrupts never wait for
 * anything: they resolve the toxic's pending read or sleep, and the toxic returns within a microtask.
 */
import { Fifo } from "./fifo.ts";
import type { Random } from "./random.ts";
import { noop } from "./toxics/noop.ts";
import type { Chunk, Item, ReadResult, Stub, ToxicKind } from "./toxics/toxic.ts";
import { INTERRUPTED, TIMED_OUT } from "./toxics/toxic.ts";

/** Where a stage sends its output: the next stage or the sink. */
export interface Target {
  push(item: Item): void;
}

/** What a stage needs from its link. */
export interface StageHost {
  added(bytes: number): void;
  removed(bytes: number): void;
  random(toxic: string, purpose: string): Random;
  requestClose(): void;
  reset(): void;
  spliceOut(stage: Stage): void;
  fail(err: unknown): void;
}

/** A toxic's settings, as the collection holds them. */
export interface ToxicSettings {
  readonly name: string;
  readonly kind: ToxicKind;
  readonly attributes: Readonly<Record<string, number>>;
  readonly toxicity: number;
}

export class Stage implements Stub, Target {
  next: Target;
  attrs: Readonly<Record<string, number>>;
  readonly state: unknown;
  readonly rng: Random;
  private readonly roll: Random;
  private toxicity: number;
  private active: boolean;
  private readonly queue = new Fifo<Item>();
  private readWaiter: ((result: ReadResult) => void) | undefined;
  private sleepWaiter: ((slept: boolean) => void) | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private interrupted = false;
  private running = false;
  private removing = false;
  private finished = false;
  private dead = false;
  private pending: { attributes: Readonly<Record<string, number>>; toxicity: number } | undefined;

  constructor(
    private readonly host: StageHost,
    readonly toxic: ToxicSettings,
    next: Target,
  ) {
    this.next = next;
    this.attrs = { ...toxic.attributes };
    this.toxicity = toxic.toxicity;
    this.rng = host.random(toxic.name, "data");
    this.roll = host.random(toxic.name, "toxicity");
    this.active = this.roll.next() < this.toxicity;
    this.state = toxic.kind.newState?.();
  }

  get isRemoving(): boolean {
    return this.removing;
  }

  start(): void {
    void this.run();
  }

  // ---- Target: input from the previous stage or the source ----

  push(item: Item): void {
    if (this.finished || this.dead) return;
    if (item !== null) this.host.added(item.data.length);
    this.queue.push(item);
    if (this.readWaiter) this.wakeRead(this.take());
  }

  // ---- Stub: what the toxic sees ----

  now(): number {
    return performance.now();
  }

  read(deadline?: number): Promise<ReadResult> {
    if (this.interrupted || this.dead) return Promise.resolve(INTERRUPTED);
    if (this.queue.length > 0) return Promise.resolve(this.take());
    const wait = deadline === undefined ? Infinity : deadline - this.now();
    if (wait <= 0) return Promise.resolve(TIMED_OUT);
    return new Promise((resolve) => {
      this.readWaiter = resolve;
      if (wait !== Infinity) this.timer = setTimeout(() => this.wakeRead(TIMED_OUT), wait);
    });
  }

  sleepUntil(time: number): Promise<boolean> {
    if (this.interrupted || this.dead) return Promise.resolve(false);
    const wait = time - this.now();
    if (wait <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      this.sleepWaiter = resolve;
      if (wait !== Infinity) this.timer = setTimeout(() => this.wakeSleep(true), wait);
    });
  }

  write(chunk: Chunk): void {
    if (!this.dead && !this.finished) this.next.push(chunk);
  }

  unread(item: Item): void {
    if (this.dead || this.finished) return;
    if (item !== null) this.host.added(item.data.length);
    this.queue.unshift(item);
  }

  end(): void {
    if (this.finished || this.dead) return;
    this.finished = true;
    this.next.push(null);
  }

  close(): void {
    if (this.finished || this.dead) return;
    this.finished = true;
    this.host.requestClose();
    this.next.push(null);
  }

  reset(): void {
    if (!this.dead) this.host.reset();
  }

  // ---- control, from the link ----

  /** New attributes/toxicity: the toxic is interrupted and runs again; toxicity is drawn again if it changed. */
  update(attributes: Readonly<Record<string, number>>, toxicity: number): void {
    this.pending = { attributes: { ...attributes }, toxicity };
    if (this.running) this.interrupt();
    else this.applyPending();
  }

  /** Takes the stage out of the chain once its toxic has handed back what it held. Never waits. */
  remove(): void {
    if (this.removing) return;
    this.removing = true;
    if (this.active && !this.finished && !this.dead) this.toxic.kind.cleanup?.(this);
    if (this.running) this.interrupt();
    else this.host.spliceOut(this);
  }

  /** The connection is gone: stop at once, drop everything. */
  abort(): void {
    this.dead = true;
    this.queue.drain();
    this.interrupt();
  }

  /** Everything still queued (oldest first), for the next stage when this one leaves the chain. */
  takeAll(): Item[] {
    const items = this.queue.drain();
    for (const item of items) if (item !== null) this.host.removed(item.data.length);
    return this.finished || this.dead ? [] : items;
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      for (;;) {
        this.interrupted = false;
        await (this.active ? this.toxic.kind : noop).pipe(this);
        if (this.dead || this.finished || !this.interrupted || this.removing) break;
        this.applyPending();
        if (this.finished) break;
      }
    } catch (err) {
      this.host.fail(err);
    }
    this.running = false;
    if (!this.interrupted && !this.dead) this.finished = true;
    if (this.removing && !this.dead) this.host.spliceOut(this);
  }

  private applyPending(): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    this.attrs = pending.attributes;
    if (pending.toxicity === this.toxicity) return;
    this.toxicity = pending.toxicity;
    const wasActive = this.active;
    this.active = this.roll.next() < pending.toxicity;
    // A connection the toxic stops affecting is treated as if the toxic were removed from it.
    if (wasActive && !this.active && !this.finished) this.toxic.kind.cleanup?.(this);
  }

  private take(): Item {
    const item = this.queue.shift();
    if (item !== null) this.host.removed(item.data.length);
    return item;
  }

  private interrupt(): void {
    this.interrupted = true;
    this.wakeRead(INTERRUPTED);
    this.wakeSleep(false);
  }

  private wakeRead(result: ReadResult): void {
    const waiter = this.readWaiter;
    if (!waiter) return;
    this.readWaiter = undefined;
    this.clearTimer();
    waiter(result);
  }

  private wakeSleep(slept: boolean): void {
    const waiter = this.sleepWaiter;
    if (!waiter) return;
    this.sleepWaiter = undefined;
    this.clearTimer();
    waiter(slept);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
