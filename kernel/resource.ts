/**
 * The guarded resource (resource.jsonl): a service outside ZooKeeper that the recipes act on, logging every
 * access in arrival order with the token presented and whether it was accepted. The client history says
 * what clients believed; this log says what actually got in. Lock, leader and duplicate-write safety are
 * judged from it.
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

export interface ResourceReply {
  accepted: boolean;
  reason?: string;
  value?: unknown;
}

/** What a workload's client code uses to act on the guarded resource. */
export interface ResourceClient {
  access(req: ResourceRequest): Promise<ResourceReply>;
}

/**
 * One access as the resource saw it. Open-ended, and loose where other writers' logs differ (a holder may
 * be a process number, `applied` may be absent), so checkers judge recorded and imported logs alike.
 */
export interface ResourceEvent {
  /** Position in arrival order (absent in logs that are in arrival order already). */
  readonly seq?: number;
  /** Nanoseconds since test start, on the history's clock. */
  readonly time: number;
  /** Who sent it: client slot and session, process, or leader id (a leadership tenure, for leader-safety). */
  readonly holder: string | number;
  /** What it was: "write", "enter", "exit", … */
  readonly op: string;
  /** Whether the resource accepted it (false: rejected, e.g. by a stale fencing token). */
  readonly accepted: boolean;
  /** false when an accepted write changed nothing (an idempotent sink's repeat); absent = applied if accepted. */
  readonly applied?: boolean;
  readonly reason?: string;
  /** Fencing token presented (the lock or latch znode's czxid); number, decimal or 0x-hex string. */
  readonly token?: number | string;
  /** Which resource key it touched. */
  readonly key?: string;
  /** History process number of the op this access belongs to. */
  readonly process?: number;
  /** Critical-section id (for lock-safety, when there is no token): one id per acquisition. */
  readonly section?: string | number;
  /** Leadership epoch or term, when the writer knows it. */
  readonly epoch?: number | string;
  /** Logical write / event id, for duplicate detection. */
  readonly id?: string | number;
  readonly idempotent?: boolean;
  readonly value?: unknown;
  /** For enter: the value read. */
  readonly read?: unknown;
  readonly [extra: string]: unknown;
}

/**
 * Who acts at the guarded resource right now, for faults aimed at a client: the slots inside a critical
 * section (an accepted enter with no exit yet), the slot that leads (the writer of the highest epoch).
 */
export interface ClientActors {
  inSection(): number[];
  leader(): number | null;
  /** What this workload's accesses show: critical sections, leadership epochs, or nothing yet. */
  kind(): "holder" | "leader" | null;
  /** The slot of the next accepted enter, or null after `timeoutMs`. */
  nextEntry(timeoutMs: number): Promise<number | null>;
  /**
   * The slot of the next accepted write at the highest epoch yet (the leader acting), or null after
   * `timeoutMs`. The last writer may have resigned since; the next one leads now.
   */
  nextLeaderWrite(timeoutMs: number): Promise<number | null>;
  /**
   * Hold the next write at the highest epoch from a slot `ok` accepts as it arrives, before the resource
   * applies it; null after `timeoutMs`. The write stays out until `release()`.
   */
  catchLeaderWrite?(timeoutMs: number, ok: (slot: number) => boolean): Promise<CaughtWrite | null>;
}

/** An access held at the resource's door: its sender waits for the reply until it is let in. */
export interface CaughtWrite {
  readonly slot: number;
  /** Let the access in (applied and answered now). Idempotent. */
  release(): void;
}
