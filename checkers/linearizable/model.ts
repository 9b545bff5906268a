/**
 * A sequential specification for the linearizability search, after Porcupine's Model: data plus pure
 * functions. Optional members are filled in by `withDefaults`, in this one place.
 */
import type { Op } from "../../kernel/op.ts";
import { canonical, show } from "../values.ts";

/** The output of an operation whose outcome the history does not know (`info`, or never completed). */
export const UNKNOWN: unique symbol = Symbol.for("zk-chaos.unknown-output");
/** The type of {@link UNKNOWN}. */
export type Unknown = typeof UNKNOWN;

/**
 * One operation as the search sees it: a call/return interval plus input and output.
 * An indeterminate operation has `output: UNKNOWN` and `ret: Infinity` (it may take effect at any point
 * after its call, or never — "never" is the same as "last", where nothing can observe it).
 */
export interface LinOp<I = unknown, O = unknown> {
  /** Dense id over the converted history (0..n-1), in call order. */
  readonly id: number;
  readonly process: number;
  readonly input: I;
  readonly output: O | Unknown;
  /** Real-time ordering keys: history `time` or history position, by the conversion's clock. */
  readonly call: number;
  readonly ret: number;
  /** `index` of the invoke / completion op in the history (completion null when there is none). */
  readonly invokeIndex: number;
  readonly completeIndex: number | null;
  /** `time` of the invoke / completion op (ns since test start, or the source's own clock). */
  readonly invokeTime: number;
  readonly completeTime: number | null;
  /** The server that served it (the completion's `node`), when the history says. */
  readonly node?: string;
}

/** Input and output read from one history operation by {@link Model.fromOp}. */
export interface ReadOp<I, O> {
  readonly input: I;
  readonly output: O | Unknown;
}

/**
 * A sequential specification. Must be purely functional: `step` never mutates `state`, and states that are
 * `equal` behave the same forever (the search memoizes steps per state).
 */
export interface Model<S = unknown, I = unknown, O = unknown> {
  /** Registry name, also shown in results ("cas-register"). */
  readonly name: string;
  /** The state before any operation. */
  init(): S;
  /**
   * May `input` with `output` happen in `state`, and what state follows? Must accept an UNKNOWN output in
   * any state (returning the state the operation would produce if it took effect there).
   */
  step(state: S, input: I, output: O | Unknown): readonly [ok: boolean, next: S];
  /** State equality; default: equal canonical encodings. */
  equal?(a: S, b: S): boolean;
  /** Must agree with `equal` (equal states, equal hashes); default: the canonical encoding. */
  hash?(state: S): string | number;
  /**
   * True when `step` never changes the state for this operation in any state (a read). The search then
   * linearizes it as soon as it can without trying the alternatives, which is always safe. Default false.
   */
  readOnly?(input: I, output: O | Unknown): boolean;
  /**
   * For read-only operations: `step(state, input, output)[0]` without building the tuple (the search asks
   * this far more often than it steps). Default: calls `step`.
   */
  accepts?(state: S, input: I, output: O | Unknown): boolean;
  /**
   * Lookahead, optional, with {@link Model.canStillRead}: true for operations that only ever grow the state
   * (kv append, set add), so that a read can tell it is already too late. Default: none.
   */
  growOnly?(input: I): boolean;
  /**
   * Lookahead for a read-only operation still to be linearized: if only grow-only operations can come
   * before it, can its output still be observed, starting from `state`? (kv: the key's value is a prefix of
   * what the get returned.) Must never answer false when it could; true is always safe. The search then
   * abandons a configuration as soon as some pending read has become impossible, instead of at that read's
   * return. Default: no lookahead.
   */
  canStillRead?(state: S, input: I, output: O): boolean;
  /** Independent sub-histories (P-compositionality): linearizable iff each one is. Default: no split. */
  partition?(ops: readonly LinOp<I, O>[]): LinOp<I, O>[][];
  /** Shorthand for `partition`: operations with different keys are independent (e.g. kv keys). */
  partitionKey?(input: I): string;
  /** Human-readable operation, e.g. "cas(1, 2) → ok". */
  describeOperation?(input: I, output: O | Unknown): string;
  /** Human-readable state. */
  describeState?(state: S): string;
  /**
   * Read one history operation: its input from the invoke, its output from an ok completion (undefined
   * completion = unknown outcome). Return null for operations this model ignores. Default: input
   * `{f, value}` of the invoke, output the completion's value.
   */
  fromOp?(invoke: Op, completion: Op | undefined): ReadOp<I, O> | null;
}

/** A model with every optional member filled in. */
export type FullModel<S, I, O> = Required<
  Omit<Model<S, I, O>, "partitionKey" | "growOnly" | "canStillRead">
> &
  Pick<Model<S, I, O>, "partitionKey" | "growOnly" | "canStillRead">;

/** Group operations by key, keeping call order inside each group (first-seen key order). */
export function partitionBy<I, O>(ops: readonly LinOp<I, O>[], key: (input: I) => string): LinOp<I, O>[][] {
  const groups = new Map<string, LinOp<I, O>[]>();
  for (const op of ops) {
    const k = key(op.input);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(op);
  }
  return [...groups.values()];
}

/**
 * Fill in the optional members of a model (porcupine's fillDefault). The result inherits from `model`, so
 * its own methods run unbound with `this` still reaching the model's members (and calls stay inlinable).
 */
export function withDefaults<S, I, O>(model: Model<S, I, O>): FullModel<S, I, O> {
  const full = Object.create(model) as FullModel<S, I, O> & Record<string, unknown>;
  const missing = (k: keyof Model<S, I, O>): boolean => typeof model[k] !== "function";
  if (missing("equal")) full.equal = (a: S, b: S) => Object.is(a, b) || canonical(a) === canonical(b);
  if (missing("hash")) full.hash = (s: S) => canonical(s);
  if (missing("readOnly")) full.readOnly = () => false;
  if (missing("accepts")) full.accepts = (s: S, i: I, o: O | Unknown) => full.step(s, i, o)[0];
  if (missing("partition")) {
    const key = model.partitionKey;
    full.partition = key
      ? (ops: readonly LinOp<I, O>[]) => partitionBy(ops, (i) => key.call(model, i))
      : (ops: readonly LinOp<I, O>[]) => [[...ops]];
  }
  if (missing("describeOperation")) {
    full.describeOperation = (i: I, o: O | Unknown) => `${show(i)} → ${o === UNKNOWN ? "?" : show(o)}`;
  }
  if (missing("describeState")) full.describeState = (s: S) => show(s);
  if (missing("fromOp")) {
    full.fromOp = (inv: Op, c: Op | undefined) =>
      ({
        input: { f: inv.f, value: inv.value } as unknown as I,
        output: c === undefined ? UNKNOWN : (c.value as O),
      }) as ReadOp<I, O>;
  }
  return full;
}
