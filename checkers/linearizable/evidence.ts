/**
 * Evidence for a non-linearizable partition, in the spirit of Porcupine's visualizer: the longest
 * linearizable prefix(es) the search found, the operation it could not linearize after them, and the
 * operations concurrent with that one. JSON-serializable, with history indexes and times so a report can
 * draw the timeline.
 */
import type { FullModel, LinOp } from "./model.ts";
import type { Prefix } from "./search.ts";
import type { StateTable } from "./state-table.ts";

/** One operation as shown in evidence. */
export interface OpRef {
  /** `index` of the invoke in the history. */
  readonly index: number;
  /** `index` of the completion (null: none in the history). */
  readonly completeIndex: number | null;
  readonly process: number;
  /** "cas(1, 2) → ok"-style description from the model. */
  readonly op: string;
  /** Invoke / completion `time` (null: never completed, or its outcome is unknown). */
  readonly start: number;
  readonly end: number | null;
  /** True when the outcome is unknown (info or no completion). */
  readonly indeterminate: boolean;
  /** The server that served it, when the history says (a stale read names the lagging server). */
  readonly node?: string;
}

/** Why a partition is not linearizable. */
export interface LinearizabilityEvidence {
  /** Which partition (and its key, for models partitioned by key). */
  readonly partition: number;
  readonly key?: string;
  /** Operations in that partition. */
  readonly ops: number;
  /** The operation that could not be linearized after the (first) longest prefix. */
  readonly failedOp: OpRef;
  /** Operations whose intervals overlap the failed one's (at most 64). */
  readonly concurrent: OpRef[];
  /** Longest linearizable prefixes found: the operations in linearization order and the state after them. */
  readonly prefixes: {
    readonly length: number;
    readonly ops: OpRef[];
    readonly state: string;
    readonly stuck: OpRef;
  }[];
  /** Human-readable summary. */
  readonly message: string;
}

/** Describe an op for evidence. */
export function opRef<S, I, O>(model: FullModel<S, I, O>, op: LinOp<I, O>): OpRef {
  const indeterminate = op.ret === Infinity;
  return {
    index: op.invokeIndex,
    completeIndex: op.completeIndex,
    process: op.process,
    op: model.describeOperation(op.input, op.output),
    start: op.invokeTime,
    end: indeterminate ? null : op.completeTime,
    indeterminate,
    ...(op.node !== undefined ? { node: op.node } : {}),
  };
}

/** Build the evidence for a failed partition from the search's longest prefixes. */
export function buildEvidence<S, I, O>(
  model: FullModel<S, I, O>,
  partition: number,
  ops: readonly LinOp<I, O>[],
  longest: readonly Prefix[],
  table: StateTable<S, I, O>,
): LinearizabilityEvidence | undefined {
  const first = longest[0];
  if (!first) return undefined;
  const failed = ops[first.stuck]!;
  const concurrent = ops
    .filter((o) => o !== failed && o.call <= failed.ret && o.ret >= failed.call)
    .slice(0, 64)
    .map((o) => opRef(model, o));
  const prefixes = longest.map((p) => ({
    length: p.ops.length,
    ops: Array.from(p.ops, (i) => opRef(model, ops[i]!)),
    state: model.describeState(table.states[p.state]!),
    stuck: opRef(model, ops[p.stuck]!),
  }));
  const key = model.partitionKey && ops[0] ? model.partitionKey(ops[0].input) : undefined;
  const failedRef = opRef(model, failed);
  const message =
    `${key === undefined ? "" : `key ${key}: `}after ${first.ops.length} of ${ops.length} operations ` +
    `linearized (state ${prefixes[0]!.state}), no order could include ${failedRef.op} ` +
    `(process ${failed.process}, history index ${failed.invokeIndex}` +
    `${failed.node !== undefined ? `, served by ${failed.node}` : ""})`;
  return {
    partition,
    ...(key === undefined ? {} : { key }),
    ops: ops.length,
    failedOp: failedRef,
    concurrent,
    prefixes,
    message,
  };
}
