/**
 * Linearizability models by name, for `zk-chaos check --model M` and for workloads.
 */
import { BadInputError } from "../../../kernel/errors.ts";
import type { Model } from "../model.ts";
import { casRegister } from "./cas-register.ts";
import { fifoQueue } from "./fifo-queue.ts";
import { kv } from "./kv.ts";
import { multiRegister, type Registers } from "./multi-register.ts";
import { mutex } from "./mutex.ts";
import { register } from "./register.ts";
import { set } from "./set.ts";
import { unorderedQueue } from "./unordered-queue.ts";

// Models are generic in state/input/output; the registry hands them out type-erased.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyModel = Model<any, any, any>;

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** A model by name: how to build it, from an initial state already read by `initial` when one is given. */
interface Entry {
  /** The initial state from JSON, or a description of what it must be (then the state is refused). */
  readonly initial: (json: unknown) => { ok: unknown } | { wants: string };
  readonly make: (initial?: unknown) => AnyModel;
}

const anyValue = (json: unknown) => ({ ok: json });
const list = (json: unknown) => (Array.isArray(json) ? { ok: json } : { wants: "a list, like [1,2]" });

const MODELS: Readonly<Record<string, Entry>> = {
  register: { initial: anyValue, make: (i) => register(i ?? null) },
  "cas-register": { initial: anyValue, make: (i) => casRegister(i ?? null) },
  mutex: {
    initial: (j) => (typeof j === "boolean" ? { ok: j } : { wants: "true (held) or false (free)" }),
    make: (i) => mutex((i as boolean | undefined) ?? false),
  },
  "fifo-queue": { initial: list, make: (i) => fifoQueue((i as unknown[] | undefined) ?? []) },
  "unordered-queue": { initial: list, make: (i) => unorderedQueue((i as unknown[] | undefined) ?? []) },
  set: { initial: list, make: (i) => set((i as unknown[] | undefined) ?? []) },
  "multi-register": {
    initial: (j) => (isObject(j) ? { ok: j } : { wants: 'an object of key → value, like {"x":0,"y":0}' }),
    make: (i) => multiRegister((i as Registers | undefined) ?? {}),
  },
  kv: {
    initial: (j) =>
      isObject(j) && Object.values(j).every((v) => typeof v === "string")
        ? { ok: j }
        : { wants: 'an object of key → string, like {"a":"x"}' },
    make: (i) => kv((i as Record<string, string> | undefined) ?? {}),
  },
};

/** Names accepted by {@link modelByName}. */
export const MODEL_NAMES: readonly string[] = Object.keys(MODELS);

/**
 * A fresh model by registry name, or undefined for an unknown name. `initial` (parsed JSON) is its state
 * before any operation (`check --init`); a state the model cannot take is a BadInputError naming what fits,
 * after `from` (where the state came from: "--init", a checker's option).
 */
export function modelByName(name: string, initial?: unknown, from = "--init"): AnyModel | undefined {
  if (!Object.hasOwn(MODELS, name)) return undefined;
  const entry = MODELS[name]!;
  if (initial === undefined) return entry.make();
  const read = entry.initial(initial);
  if ("wants" in read)
    throw new BadInputError(
      `${from}: the initial state of ${name} must be ${read.wants}, got ${JSON.stringify(initial) ?? String(initial)}`,
    );
  return entry.make(read.ok);
}

/**
 * The model a history's operations call for, from the set of their `f` values (client ops only), or
 * undefined when nothing fits. Registers are checked as cas-registers (a superset).
 */
export function inferModel(fs: ReadonlySet<string>): string | undefined {
  const only = (...names: string[]): boolean => fs.size > 0 && [...fs].every((f) => names.includes(f));
  if (only("read", "write", "cas")) return "cas-register";
  if (only("get", "put", "append")) return "kv";
  if (only("acquire", "release")) return "mutex";
  if (only("txn")) return "multi-register";
  if (only("add", "read")) return "set";
  return undefined;
}
