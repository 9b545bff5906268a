/**
 * One direction of one connection: source socket → toxic stages → sink → destination socket.
 *
 * With no toxics the source's chunks go straight into the destination (`write`, pausing the source while
 * the destination is full: what `pipe` does, with no copy and one branch per chunk). With toxics they go
 * through the stages; the source is paused while more than HIGH_WATER bytes wait in the link, so a slow
 * toxic pushes back on the sender as a slow network would. Stages are added, updated and removed while
 * data flows; none of these waits for anything.
 */
import type { Socket } from "node:net";
import type { Random } from "./random.ts";
import { Fifo } from "./fifo.ts";
import type { ByteCounter } from "./proxy-metrics.ts";
import { unpin } from "./slab.ts";
import type { StageHost, Target, ToxicSettings } from "./stage.ts";
import { Stage } from "./stage.ts";
import type { Direction, Item } from "./toxics/toxic.ts";

const HIGH_WATER = 1 << 20;
const LOW_WATER = 256 << 10;
/**
 * Bytes a destination socket may hold in its own write buffer before the source is paused: enough for
 * reads and writes to overlap (Node's 16 KiB default turns a busy link into stop-and-go).
 */
const SINK_WATER = 1 << 20;

/** What a link needs from its connection. */
export interface LinkOwner {
  random(direction: Direction, toxic: string, purpose: string): Random;
  /** A toxic closed this direction, and the end reached the destination: close the whole connection. */
  close(): void;
  reset(): void;
  fail(err: unknown): void;
}

export class Link implements StageHost {
  readonly sink: Sink;
  private first: Target;
  private stages: Stage[] = [];
  private queued = 0;
  private paused = false;
  private closeRequested = false;
  private stopped = false;

  constructor(
    private readonly owner: LinkOwner,
    readonly direction: Direction,
    private readonly src: Socket,
    readonly dst: Socket,
    toxics: readonly ToxicSettings[],
    /** This direction's byte totals (-proxy-metrics); adding to it is all the hot path pays. */
    private readonly counter: ByteCounter,
  ) {
    this.sink = new Sink(this, dst, counter);
    this.first = this.sink;
    for (const toxic of toxics) this.addToxic(toxic);
  }

  /** Starts reading; `ownReads`: the source's data comes through `onData` from its `onread` callback. */
  start(ownReads = false): void {
    if (!ownReads) this.src.on("data", this.onData);
    this.src.on("end", this.onEnd);
    this.src.resume();
  }

  readonly onData = (data: Buffer): void => {
    this.counter.received += data.length;
    if (this.first === this.sink) this.sink.pushData(data);
    else if (!this.stopped) this.first.push({ data: unpin(data), ts: performance.now() });
  };

  private readonly onEnd = (): void => {
    this.first.push(null);
  };

  // ---- chain edits (from the toxic collection) ----

  addToxic(toxic: ToxicSettings): void {
    if (this.stopped) return;
    const stage = new Stage(this, toxic, this.sink);
    const last = this.stages[this.stages.length - 1];
    if (last) last.next = stage;
    else this.first = stage;
    this.stages.push(stage);
    stage.start();
  }

  updateToxic(toxic: ToxicSettings): void {
    this.stage(toxic.name)?.update(toxic.attributes, toxic.toxicity);
  }

  removeToxic(name: string): void {
    this.stage(name)?.remove();
  }

  /** The live stage of a toxic (not one still leaving the chain under the same name). */
  private stage(name: string): Stage | undefined {
    return this.stages.find((s) => s.toxic.name === name && !s.isRemoving);
  }

  // ---- StageHost ----

  spliceOut(stage: Stage): void {
    const index = this.stages.indexOf(stage);
    if (index < 0) return;
    for (const item of stage.takeAll()) stage.next.push(item);
    const previous = this.stages[index - 1];
    if (previous) previous.next = stage.next;
    else this.first = stage.next;
    this.stages.splice(index, 1);
    this.flow();
  }

  added(bytes: number): void {
    this.queued += bytes;
    if (!this.paused && this.queued > HIGH_WATER) this.flow();
  }

  removed(bytes: number): void {
    this.queued -= bytes;
    if (this.paused && this.queued <= LOW_WATER) this.flow();
  }

  random(toxic: string, purpose: string): Random {
    return this.owner.random(this.direction, toxic, purpose);
  }

  requestClose(): void {
    this.closeRequested = true;
  }

  reset(): void {
    this.owner.reset();
  }

  fail(err: unknown): void {
    this.owner.fail(err);
  }

  // ---- flow control and shutdown ----

  /** Pauses the source while the destination is full or too much waits in the stages; resumes after. */
  flow(): void {
    if (this.stopped) return;
    const stop = this.sink.blocked || this.queued > (this.paused ? LOW_WATER : HIGH_WATER);
    if (stop === this.paused) return;
    this.paused = stop;
    if (stop) this.src.pause();
    else this.src.resume();
  }

  /** The sink has passed the end of stream to the destination. */
  sinkEnded(): void {
    if (this.closeRequested) this.owner.close();
  }

  /** Stop reading, drop what the toxics hold, end the destination after what the sink already has. */
  shutdown(): void {
    this.stop();
    this.sink.pushEnd();
  }

  /** Stop everything at once (the connection is being destroyed or reset). */
  abort(): void {
    this.stop();
    this.sink.abort();
  }

  private stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.src.off("data", this.onData);
    this.src.off("end", this.onEnd);
    this.src.pause();
    for (const stage of this.stages) stage.abort();
    this.stages = [];
    this.first = this.sink;
  }
}

/** The end of a link: writes to the destination socket in order, queueing while it is full. */
export class Sink implements Target {
  blocked = false;
  ended = false;
  private readonly queue = new Fifo<Buffer | null>();

  constructor(
    private readonly link: Link,
    private readonly dst: Socket,
    private readonly counter: ByteCounter,
  ) {
    dst.on("drain", this.onDrain);
  }

  push(item: Item): void {
    if (item === null) this.pushEnd();
    else this.pushData(item.data);
  }

  pushData(data: Buffer): void {
    if (this.ended || this.dst.destroyed) return;
    if (this.blocked || this.queue.length > 0) {
      this.queue.push(data);
      this.link.added(data.length);
    } else {
      this.counter.sent += data.length;
      if (!this.dst.write(data) && this.dst.writableLength > SINK_WATER) {
        this.blocked = true;
        this.link.flow();
      }
    }
  }

  pushEnd(): void {
    if (this.ended) return;
    if (this.blocked || this.queue.length > 0) this.queue.push(null);
    else this.finish();
  }

  abort(): void {
    this.ended = true;
    this.queue.drain();
  }

  private readonly onDrain = (): void => {
    if (this.ended) return;
    this.blocked = false;
    while (!this.blocked && this.queue.length > 0) {
      const data = this.queue.shift();
      if (data === null) return this.finish();
      this.link.removed(data.length);
      this.counter.sent += data.length;
      if (!this.dst.write(data) && this.dst.writableLength > SINK_WATER) this.blocked = true;
    }
    this.link.flow();
  };

  private finish(): void {
    this.ended = true;
    this.queue.drain();
    if (!this.dst.destroyed) this.dst.end();
    this.link.sinkEnded();
  }
}
