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
 * Phase markers: the runner records where the main and final phases start and that the final phase
 * completed, as nemesis-process ops with f "phase" and the mark as value. A history with marks but no
 * "done" was cut before its end (checkers/history-completeness.ts).
 */
export const PHASE_F = "phase";
export type PhaseMark = "main" | "final" | "done";
