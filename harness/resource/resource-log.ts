/**
 * The guarded resource's own log (resource.jsonl): every access in arrival order, with the token presented
 * and whether it was accepted. Lock, leader and duplicate-write safety are judged from it.
 */
export type ResourceOp = "enter" | "exit" | "write";

export interface ResourceRequest {
  op: ResourceOp;
  /** Which resource (a lock's guarded counter, an election's log, an exporter's sink). */
  key: string;
  /** Who acts: the worker's client slot and session, e.g. "c3/0x1000…". */
  holder: string;
  /** History process number of the op this access belongs to. */
  process?: number;
  /** Fencing token (decimal string or number; compared as a 64-bit integer). */
  token?: string | number;
  /** The value written (exit, write). */
  value?: unknown;
  /** Critical-section id: one per lock acquisition (lock safety without tokens). */
  section?: string;
  /** Leadership epoch or term, when the writer knows it. */
  epoch?: string | number;
  /** Logical write id (an election entry, an exported event). */
  id?: string;
  /** At an idempotent sink, a write whose id was applied before is acknowledged and not applied again. */
  idempotent?: boolean;
}

export interface ResourceEvent extends ResourceRequest {
  /** Position in arrival order. */
  seq: number;
  /** Nanoseconds since test start (the same clock as the history). */
  time: number;
  accepted: boolean;
  /** Whether a write changed the resource (false for a rejected or an idempotent repeat). */
  applied: boolean;
  reason?: string;
  /** For enter: the value read. */
  read?: unknown;
  /** Open-ended like the checkers' event type (checkers/resource-event.ts), so the log is passed as is. */
  [extra: string]: unknown;
}

export interface ResourceReply {
  accepted: boolean;
  reason?: string;
  value?: unknown;
}
