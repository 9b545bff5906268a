/**
 * Which checkers a stored history calls for, and running them into a results.json-shaped object. Pure:
 * the caller reads the files (history, test.json's workload, resource.jsonl) and passes their contents.
 */
import { BadInputError } from "../kernel/errors.ts";
import type { Op } from "../kernel/op.ts";
import type { Checker, CheckResult, Validity } from "./checker.ts";
import { checkSafe, worst } from "./checker.ts";
import { duplicateWrites } from "./duplicate-writes.ts";
import type { Format } from "./formats/parsed.ts";
import { leaderSafety } from "./leader-safety.ts";
import { isLinearizable, linearizable } from "./linearizable/linearizable.ts";
import type { Clock } from "./linearizable/operations.ts";
import { inferModel, modelByName } from "./linearizable/models/index.ts";
import { lockSafety } from "./lock-safety.ts";
import { isClientProcess } from "./pairs.ts";
import type { ResourceEvent } from "../kernel/resource.ts";
import { observedZxid, sessionOrder } from "./session-order.ts";
import { checkStats } from "./stats.ts";
import { totalQueue } from "./total-queue.ts";

/** What is known about a history besides its ops. */
export interface HistoryContext {
  readonly format: Format;
  readonly clock: Clock;
  /** Model name from the user (--model); wins over everything else. */
  readonly model?: string;
  /**
   * The linearizability model's initial state (parsed JSON, `--init`), for whichever model judges the
   * history (it replaces a run's own); a state the model cannot take, or no model at all, is bad input.
   */
  readonly init?: unknown;
  /** test.json's workload ("register", "lock", "queue", "election", "exporter", "multi"). */
  readonly workload?: string;
  /** resource.jsonl, when the run has one. */
  readonly resource?: readonly ResourceEvent[];
  /**
   * The checkers to run, when the caller knows better (the workload's own, as the run used them); a
   * --model still adds its linearizability check.
   */
  readonly checkers?: readonly Checker[];
  /** Milliseconds for all checkers together (the linearizability search is the one that can be slow). */
  readonly timeoutMs?: number;
  /** Memory budget of a search's caches, bytes (default: linearizable's defaultMaxMemory()). */
  readonly maxMemoryBytes?: number;
  readonly signal?: AbortSignal;
}

/** results.json's shape. */
export interface Results {
  readonly valid: Validity;
  readonly checkers: Record<string, CheckResult>;
  readonly stats: CheckResult;
}

/** The model each workload's history is checked against (none: safety checkers only). */
const WORKLOAD_MODEL: Readonly<Record<string, string | undefined>> = {
  register: "cas-register",
  lock: undefined,
  queue: undefined,
  election: undefined,
  exporter: undefined,
  multi: "multi-register",
};

/** A workload named in WORKLOAD_MODEL itself (not "toString" or "__proto__" from its prototype). */
const isKnownWorkload = (w: string | undefined): w is string =>
  w !== undefined && Object.hasOwn(WORKLOAD_MODEL, w);

const missingResource = (name: string): Checker => ({
  name,
  check: () => ({
    valid: "unknown",
    error: "no resource.jsonl beside the history: the resource's side is unknown",
  }),
});

/** The checkers for a history, by --model, format, workload, or the ops' f values. */
export function checkersFor(history: readonly Op[], ctx: HistoryContext): Checker[] {
  const fs = new Set(history.filter(isClientProcess).map((op) => op.f));
  const out: Checker[] = [];
  let modelName = ctx.model;
  if (modelName === undefined) {
    if (ctx.format === "porcupine-etcd") modelName = "cas-register";
    else if (ctx.format === "porcupine-kv") modelName = "kv";
    else if (isKnownWorkload(ctx.workload)) modelName = WORKLOAD_MODEL[ctx.workload];
    else modelName = inferModel(fs);
  }
  if (modelName !== undefined) {
    const model = modelByName(modelName, ctx.init);
    if (!model) throw new Error(`unknown model ${modelName}`);
    out.push(linearizable(model, { clock: ctx.clock }));
  }
  const workload = isKnownWorkload(ctx.workload)
    ? ctx.workload
    : fs.has("enqueue") || fs.has("drain")
      ? "queue"
      : undefined;
  if (workload === "queue") out.push(totalQueue);
  if (workload === "lock") out.push(ctx.resource ? lockSafety(ctx.resource) : missingResource("lock-safety"));
  if (workload === "election")
    out.push(ctx.resource ? leaderSafety(ctx.resource) : missingResource("leader-safety"));
  if (workload === "exporter") {
    out.push(ctx.resource ? duplicateWrites(ctx.resource) : missingResource("duplicate-writes"));
  }
  if (history.some((op) => typeof op.session === "string" && observedZxid(op) !== undefined))
    out.push(sessionOrder);
  return out;
}

/** A run's own linearizability checker started from `ctx.init` instead (same model); others as they are. */
export function withInitialState(c: Checker, ctx: HistoryContext): Checker {
  if (ctx.init === undefined || !isLinearizable(c)) return c;
  const model = modelByName(c.model, ctx.init);
  return model ? linearizable(model, { ...c.defaults, clock: ctx.clock }, c.name) : c;
}

/** Run the checkers for `history` and merge them, worst verdict wins. */
export async function checkHistory(history: readonly Op[], ctx: HistoryContext): Promise<Results> {
  const t0 = performance.now();
  const stats = checkStats(history, {
    timeless: ctx.format === "porcupine-etcd" || ctx.format === "porcupine-kv",
  });
  const checkers: Record<string, CheckResult> = {};
  if (!history.some(isClientProcess)) {
    return {
      valid: "unknown",
      checkers: { history: { valid: "unknown", error: "no client operations" } },
      stats,
    };
  }
  const list = ctx.checkers
    ? [
        ...ctx.checkers.map((c) => withInitialState(c, ctx)),
        ...(ctx.model !== undefined && !ctx.checkers.some((c) => c.name === "linearizable")
          ? [linearizable(modelByName(ctx.model, ctx.init)!, { clock: ctx.clock })]
          : []),
      ]
    : checkersFor(history, ctx);
  if (ctx.init !== undefined && !list.some(isLinearizable))
    throw new BadInputError(
      "--init is a linearizability model's initial state, but no model judges this history (name one with --model)",
    );
  if (list.length === 0) {
    return {
      valid: "unknown",
      checkers: { history: { valid: "unknown", error: "no checker applies; name a model with --model" } },
      stats,
    };
  }
  for (const c of list) {
    const left =
      ctx.timeoutMs === undefined ? undefined : Math.max(1, ctx.timeoutMs - (performance.now() - t0));
    checkers[c.name] = await checkSafe(c, history, {
      ...(left !== undefined ? { timeoutMs: left } : {}),
      ...(ctx.maxMemoryBytes !== undefined ? { maxMemoryBytes: ctx.maxMemoryBytes } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
  }
  return { valid: worst(...Object.values(checkers).map((r) => r.valid)), checkers, stats };
}
