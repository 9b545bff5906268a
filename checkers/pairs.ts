/**
 * Pairing a history's invocations with their completions. Each client process is single-threaded, so an
 * invoke is completed by the next ok/fail/info of the same process; nemesis and other non-integer
 * processes are not clients and are skipped.
 */
import type { Op } from "../kernel/op.ts";

/** One client operation: its invocation and, if the history has one, its completion. */
export interface OpPair {
  readonly invoke: Op;
  /** Absent when the history ended before the operation completed (as indeterminate as `info`). */
  readonly completion: Op | undefined;
  /** Position of the invoke / completion in the history array (not necessarily `op.index`). */
  readonly invokePos: number;
  readonly completionPos: number | undefined;
}

/** What pairing found besides the pairs: completions with no open invoke, invokes overtaken by another. */
export interface PairAnomalies {
  /** History positions of completions whose process had nothing in flight. */
  readonly orphanCompletions: number[];
  /** History positions of invokes whose process invoked again before completing them (treated as never completed). */
  readonly abandonedInvokes: number[];
}

/** True for an op issued by a client process (an integer process id). */
export const isClientProcess = (op: Op): boolean =>
  typeof op.process === "number" && Number.isInteger(op.process);

/** Pair client invocations with completions by process, in history order (pairs sorted by invoke position). */
export function pairOps(history: readonly Op[]): { pairs: OpPair[]; anomalies: PairAnomalies } {
  const open = new Map<number, number>(); // process → index into `pairs` of its pending invoke
  const pairs: {
    invoke: Op;
    completion: Op | undefined;
    invokePos: number;
    completionPos: number | undefined;
  }[] = [];
  const orphanCompletions: number[] = [];
  const abandonedInvokes: number[] = [];
  for (let i = 0; i < history.length; i++) {
    const op = history[i]!;
    if (!isClientProcess(op)) continue;
    const p = op.process as number;
    if (op.type === "invoke") {
      const prev = open.get(p);
      if (prev !== undefined) abandonedInvokes.push(pairs[prev]!.invokePos);
      open.set(p, pairs.length);
      pairs.push({ invoke: op, completion: undefined, invokePos: i, completionPos: undefined });
    } else {
      const k = open.get(p);
      if (k === undefined) {
        orphanCompletions.push(i);
        continue;
      }
      open.delete(p);
      pairs[k]!.completion = op;
      pairs[k]!.completionPos = i;
    }
  }
  return { pairs, anomalies: { orphanCompletions, abandonedInvokes } };
}
