/**
 * History → call/return operations for the search (porcupine's parseJepsenLog, generalised):
 * - ok: happened between invoke and completion;
 * - fail: certainly did not happen, so it constrains nothing and is dropped entirely;
 * - info, or no completion at all: may take effect at any point after the invoke, or never — a return at
 *   +Infinity with an UNKNOWN output that the model must accept.
 */
import type { Op } from "../../kernel/op.ts";
import { pairOps } from "../pairs.ts";
import type { PairAnomalies } from "../pairs.ts";
import { UNKNOWN } from "./model.ts";
import type { FullModel, LinOp } from "./model.ts";

/**
 * Which clock orders operations in real time. "time": the ops' `time` (our JSONL, one monotonic clock);
 * "position": their order in the file (Jepsen EDN, whose `:time` need not be monotone, and Porcupine logs).
 */
export type Clock = "time" | "position";

/** The converted history plus what was left out. */
export interface Operations<I, O> {
  readonly ops: LinOp<I, O>[];
  /** Operations completed with `fail` (did not happen). */
  readonly failed: number;
  /** Operations with outcome unknown (info or never completed). */
  readonly indeterminate: number;
  /** Operations the model does not know (its fromOp returned null). */
  readonly ignored: number;
  readonly anomalies: PairAnomalies;
}

/** Convert a history for `model`; see the module comment for the meaning of ok / fail / info. */
export function toOperations<S, I, O>(
  history: readonly Op[],
  model: FullModel<S, I, O>,
  clock: Clock = "time",
): Operations<I, O> {
  const { pairs, anomalies } = pairOps(history);
  const ops: LinOp<I, O>[] = [];
  let failed = 0;
  let indeterminate = 0;
  let ignored = 0;
  for (const p of pairs) {
    const c = p.completion;
    if (c?.type === "fail") {
      failed++;
      continue;
    }
    const known = c?.type === "ok" ? c : undefined;
    const read = model.fromOp(p.invoke, known);
    if (read === null) {
      ignored++;
      continue;
    }
    const unknown = known === undefined || read.output === UNKNOWN;
    if (unknown) indeterminate++;
    const call = clock === "time" ? p.invoke.time : p.invokePos;
    let ret = Infinity;
    if (!unknown) {
      ret = clock === "time" ? c!.time : p.completionPos!;
      if (!(ret >= call)) ret = call; // a completion stamped before its invoke: treat as instantaneous
    }
    ops.push({
      id: ops.length,
      process: p.invoke.process as number,
      input: read.input,
      output: unknown ? UNKNOWN : read.output,
      call,
      ret,
      invokeIndex: p.invoke.index,
      completeIndex: c ? c.index : null,
      invokeTime: p.invoke.time,
      completeTime: c ? c.time : null,
      ...(typeof c?.node === "string" ? { node: c.node } : {}),
    });
  }
  if (clock === "time") {
    // pairs come in history order; with the time clock, call order may differ slightly (one writer, many workers)
    ops.sort((a, b) => a.call - b.call || a.invokeIndex - b.invokeIndex);
    for (let i = 0; i < ops.length; i++) (ops[i] as { id: number }).id = i;
  }
  return { ops, failed, indeterminate, ignored, anomalies };
}
