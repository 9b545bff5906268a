/**
 * The linearizability checker: history → operations → partitions (P-compositionality) → WGL search per
 * partition, smallest first, stopping at the first illegal one. A time or memory limit gives "unknown",
 * never a crash.
 */
import { totalmem } from "node:os";
import { getHeapStatistics } from "node:v8";
import type { Op } from "../../kernel/op.ts";
import type { CheckOptions, CheckResult, Checker } from "../checker.ts";
import { buildEvidence } from "./evidence.ts";
import type { LinearizabilityEvidence } from "./evidence.ts";
import { withDefaults } from "./model.ts";
import type { FullModel, LinOp, Model } from "./model.ts";
import { toOperations } from "./operations.ts";
import type { Clock } from "./operations.ts";
import { search } from "./search.ts";
import type { SearchProblem } from "./search.ts";
import { StateTable } from "./state-table.ts";

/** Options of the linearizability checker. */
export interface LinearizableOptions extends CheckOptions {
  /** Which clock orders operations (default "time"; "position" for sources whose file order is real time). */
  readonly clock?: Clock;
  /** Split by the model's partition (default true); false checks the whole history as one. */
  readonly partition?: boolean;
}

/** Memory budget for one check's caches when none is given: at most 1 GiB. */
export const DEFAULT_MAX_MEMORY = 2 ** 30;

/**
 * The default budget on this machine: a quarter of V8's heap limit and of the machine's memory, at most
 * DEFAULT_MAX_MEMORY and at least 64 MiB — a big search answers "unknown" instead of an out-of-memory crash.
 */
export function defaultMaxMemory(): number {
  const heap = getHeapStatistics().heap_size_limit;
  return Math.max(64 * 2 ** 20, Math.min(DEFAULT_MAX_MEMORY, heap / 4, totalmem() / 4));
}

/** results.json entry of the linearizability checker. */
export interface LinearizableResult extends CheckResult {
  readonly model: string;
  /** Operations checked (fail ops and ops the model ignores excluded). */
  readonly ops: number;
  readonly failed: number;
  readonly indeterminate: number;
  readonly ignored: number;
  readonly partitions: number;
  /** Partitions decided (all of them unless a limit was hit or an illegal one stopped the check). */
  readonly checkedPartitions: number;
  /** Why the verdict is unknown: "timeout", "aborted" or "memory". */
  readonly reason?: string;
  readonly evidence?: LinearizabilityEvidence;
  /** Present when pairing found completions with nothing in flight, or invokes overtaken by another. */
  readonly anomalies?: { readonly orphanCompletions: number; readonly abandonedInvokes: number };
  readonly stats: {
    readonly ms: number;
    readonly steps: number;
    readonly states: number;
    readonly cacheEntries: number;
  };
}

/** Group id per op by the model's partition key (all 0 without one): what a read's lookahead depends on. */
function groupsOf<S, I, O>(ops: readonly LinOp<I, O>[], model: FullModel<S, I, O>): Int32Array {
  const key = model.partitionKey;
  if (!key) return new Int32Array(ops.length);
  const ids = new Map<string, number>();
  return Int32Array.from(ops, (o) => {
    const k = key.call(model, o.input);
    let g = ids.get(k);
    if (g === undefined) ids.set(k, (g = ids.size));
    return g;
  });
}

function problem<S, I, O>(
  ops: readonly LinOp<I, O>[],
  model: FullModel<S, I, O>,
): SearchProblem & { table: StateTable<S, I, O> } {
  const n = ops.length;
  const call = new Float64Array(n);
  const ret = new Float64Array(n);
  const readOnly = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const o = ops[i]!;
    call[i] = o.call;
    ret[i] = o.ret;
    readOnly[i] = model.readOnly(o.input, o.output) ? 1 : 0;
  }
  const table = new StateTable(model, ops, readOnly);
  const growOnly = model.growOnly;
  const lookahead =
    growOnly && model.canStillRead
      ? {
          growOnly: Uint8Array.from(ops, (o) => (growOnly.call(model, o.input) ? 1 : 0)),
          group: groupsOf(ops, model),
          canStillRead: (s: number, op: number) => table.canStillRead(s, op),
        }
      : undefined;
  return { n, call, ret, readOnly, table, ...(lookahead ? { lookahead } : {}) };
}

/** Check `history` against `model`; see {@link LinearizableOptions}. */
export function checkLinearizable<S, I, O>(
  history: readonly Op[],
  model: Model<S, I, O>,
  opts: LinearizableOptions = {},
): LinearizableResult {
  const t0 = performance.now();
  const full = withDefaults(model);
  const conv = toOperations(history, full, opts.clock ?? "time");
  const parts = (opts.partition === false ? [conv.ops] : full.partition(conv.ops))
    // an indeterminate read constrains nothing (no output to match, no state change): out of the search
    .map((p) => p.filter((o) => !(o.ret === Infinity && full.readOnly(o.input, o.output))))
    .filter((p) => p.length > 0)
    // renumber each partition 0..k-1 (search ids), smallest first so cheap violations surface early
    .map((p, i) => ({ i, ops: p.map((o, id) => ({ ...o, id })) }))
    .sort((a, b) => a.ops.length - b.ops.length);
  const deadline = opts.timeoutMs !== undefined && opts.timeoutMs > 0 ? t0 + opts.timeoutMs : Infinity;
  const maxBytes = opts.maxMemoryBytes ?? defaultMaxMemory();
  let steps = 0;
  let states = 0;
  let cacheEntries = 0;
  let checked = 0;
  let unknownReason: string | undefined;
  let evidence: LinearizabilityEvidence | undefined;
  let valid: boolean | "unknown" = true;

  for (const part of parts) {
    const prob = problem(part.ops, full);
    const table = prob.table;
    const out = search(prob, {
      deadline,
      ...(opts.signal ? { signal: opts.signal } : {}),
      maxCacheBytes: maxBytes,
      extraBytes: () => table.bytes,
      maxBytes,
    });
    steps += table.steps;
    states += table.size;
    cacheEntries += out.stats.cacheEntries;
    if (out.result === "ok") {
      checked++;
      continue;
    }
    if (out.result === "illegal") {
      checked++;
      valid = false;
      evidence = buildEvidence(full, part.i, part.ops, out.longest, table);
      break;
    }
    valid = "unknown";
    unknownReason ??= out.reason;
    if (out.reason !== "memory") break; // out of time: the remaining partitions cannot be decided either
  }

  return {
    valid,
    model: full.name,
    ops: conv.ops.length,
    failed: conv.failed,
    indeterminate: conv.indeterminate,
    ignored: conv.ignored,
    partitions: parts.length,
    checkedPartitions: checked,
    ...(valid === "unknown" && unknownReason ? { reason: unknownReason } : {}),
    ...(evidence ? { evidence } : {}),
    ...(conv.anomalies.orphanCompletions.length || conv.anomalies.abandonedInvokes.length
      ? {
          // completions with nothing in flight are ignored; invokes overtaken by another count as never completed
          anomalies: {
            orphanCompletions: conv.anomalies.orphanCompletions.length,
            abandonedInvokes: conv.anomalies.abandonedInvokes.length,
          },
        }
      : {}),
    stats: { ms: Math.round((performance.now() - t0) * 1000) / 1000, steps, states, cacheEntries },
  };
}

/** A linearizability Checker, with the name of the model it judges by. */
export interface LinearizableChecker extends Checker {
  readonly model: string;
  /** The options it was built with (a rebuild from another initial state keeps them). */
  readonly defaults: LinearizableOptions;
}

/** A Checker for `model` (results under the name "linearizable"). */
export function linearizable<S, I, O>(
  model: Model<S, I, O>,
  defaults: LinearizableOptions = {},
  name = "linearizable",
): LinearizableChecker {
  return {
    name,
    model: model.name,
    defaults,
    check: (history, opts) => checkLinearizable(history, model, { ...defaults, ...opts }),
  };
}

/** Whether a checker is a linearizability checker (and so has a model an initial state applies to). */
export const isLinearizable = (c: Checker): c is LinearizableChecker =>
  typeof (c as Partial<LinearizableChecker>).model === "string";
