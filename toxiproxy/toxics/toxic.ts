/**
 * What a toxic is: a small async program that runs once per connection and direction ("stub", as in
 * toxiproxy) and moves chunks from its input to its output. Toxics are chained per direction; each stage
 * has an unbounded input queue, so writing never blocks and a stage can be interrupted (to apply an
 * update, or to be removed) at any await. An interrupted toxic must hand back, with `unread`, whatever it
 * took and has not passed on, then return: nothing is lost on removal except what a toxic chose to drop.
 */
import type { Random } from "../random.ts";

/** Bytes read from one socket. `ts` is when they arrived (ms, performance.now()), moved on by latency. */
export interface Chunk {
  data: Buffer;
  ts: number;
}

/** A chunk, or null for end of stream (the sender's FIN). */
export type Item = Chunk | null;

/** `read` and `sleepUntil` resolve early with this (or false) when the stage is interrupted. */
export const INTERRUPTED: unique symbol = Symbol("interrupted");
/** `read(deadline)` resolves with this when the deadline passes first. */
export const TIMED_OUT: unique symbol = Symbol("timed out");
export type ReadResult = Item | typeof INTERRUPTED | typeof TIMED_OUT;

export type Direction = "upstream" | "downstream";

/** A toxic's view of one stage: its settings, its queue and what it may do to the connection. */
export interface Stub<K extends string = string, S = unknown> {
  /** The attributes for this run (an update interrupts the toxic and runs it again with new ones). */
  readonly attrs: Readonly<Record<K, number>>;
  /** Per-connection state, kept across updates (limit_data's byte count). */
  readonly state: S;
  /** Seeded per proxy, connection, direction and toxic. */
  readonly rng: Random;
  now(): number;
  /** The next item, or INTERRUPTED, or TIMED_OUT once `deadline` (a `now()` time) passes. */
  read(deadline?: number): Promise<ReadResult>;
  /** Sleeps until `time` (Infinity: until interrupted); false if interrupted first. */
  sleepUntil(time: number): Promise<boolean>;
  /** Passes a chunk on; never blocks. */
  write(chunk: Chunk): void;
  /** Puts an item back at the head of the input (on interrupt). */
  unread(item: Item): void;
  /** Passes end of stream on (a half-close); the toxic should return after it. */
  end(): void;
  /** Ends this direction here and closes the whole connection once that reaches the destination. */
  close(): void;
  /** Resets both sockets at once (TCP RST). */
  reset(): void;
}

export interface ToxicKind<K extends string = string, S = unknown> {
  readonly type: string;
  /** Attribute names in JSON order; every attribute is an integer, 0 by default. */
  readonly attributes: readonly K[];
  newState?(): S;
  /** Runs until the stream ends, the toxic closes it, or the stage is interrupted. */
  pipe(stub: Stub<K, S>): Promise<void>;
  /** Called when the toxic is removed from a connection it was active on (timeout closes it). */
  cleanup?(stub: Stub<K, S>): void;
}

export function defineToxic<K extends string, S = undefined>(kind: ToxicKind<K, S>): ToxicKind<K, S> {
  return kind;
}

/** Whether a read ended without an item: the toxic should hand back what it holds and return. */
export function isInterrupt(result: ReadResult): result is typeof INTERRUPTED | typeof TIMED_OUT {
  return result === INTERRUPTED || result === TIMED_OUT;
}
