/**
 * The history's one data format (DESIGN.md, "History"): Jepsen's operation model, one JSON object per line.
 */

/** ok = took effect; fail = certainly did not; info = unknown (may take effect at any later point, or never). */
export type OpType = "invoke" | "ok" | "fail" | "info";

/** A logically single-threaded actor. A client process that completes with `info` is retired for good. */
export type ProcessId = number | "nemesis";

export interface Op<F extends string = string, V = unknown> {
  /** Dense, ascending position in the history. */
  readonly index: number;
  /** Nanoseconds since test start, from process.hrtime.bigint() (one monotonic clock per host). */
  readonly time: number;
  readonly type: OpType;
  readonly process: ProcessId;
  readonly f: F;
  /** Arguments on invoke, result on completion. */
  readonly value: V;
  /** The ZooKeeper server this client's session was bound to. */
  readonly node?: string;
  /** The session id, hex ("0x100007f3a2b0001"). */
  readonly session?: string;
  /** The zxid the op's last reply told of ("0x…"): the reply header's, or `zxidPath`'s mzxid. */
  readonly zxid?: string | number;
  /** Set when `zxid` is this node's mzxid from a Stat (a driver without the reply header's zxid). */
  readonly zxidPath?: string;
  /** "ZCONNECTIONLOSS", "timeout", … */
  readonly error?: string;
  /** Anything else a writer recorded; kept and ignored by checkers that do not know it. */
  readonly [extra: string]: unknown;
}

/** A client op (a worker's process number), not a fault. */
export const isClientOp = (op: { readonly process: unknown }): boolean => typeof op.process === "number";
/** A fault event of the nemesis. */
export const isNemesisOp = (op: { readonly process: unknown }): boolean => op.process === "nemesis";

/**
 * Recorded as `crash` on a client op's completion when the client's process died on its own (not killed by
 * the harness): the op in flight became `info`; a crash between ops fails the slot's next op, unrun.
 */
export interface ClientCrash {
  readonly slot: number;
  /** When the harness saw the process gone, ns since test start. */
  readonly time: number;
  readonly code: number | null;
  readonly signal: string | null;
  /** The last lines of its stderr. */
  readonly stderr: readonly string[];
  /** A replacement that did not start says why (no exit code then). */
  readonly error?: string;
  /** Crashes of this slot since its last ok op, this one included. */
  readonly inARow: number;
  /** This crash stopped the slot for the rest of the run. */
  readonly retired: boolean;
}

/**
 * Phase markers: the runner records where the main and final phases start and that the final phase
 * completed, as nemesis-process ops with f "phase" and the mark as value. A history with marks but no
 * "done" was cut before its end (checkers/history-completeness.ts).
 */
export const PHASE_F = "phase";
export type PhaseMark = "main" | "final" | "done";
