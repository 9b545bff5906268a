/**
 * Linearizability models by name, for `zk-chaos check --model M` and for workloads.
 */
import type { Model } from "../model.ts";
import { casRegister } from "./cas-register.ts";
import { fifoQueue } from "./fifo-queue.ts";
import { kv } from "./kv.ts";
import { multiRegister } from "./multi-register.ts";
import { mutex } from "./mutex.ts";
import { register } from "./register.ts";
import { set } from "./set.ts";
import { unorderedQueue } from "./unordered-queue.ts";

// Models are generic in state/input/output; the registry hands them out type-erased.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyModel = Model<any, any, any>;

const MODELS: Readonly<Record<string, () => AnyModel>> = {
  register: () => register(),
  "cas-register": () => casRegister(),
  mutex: () => mutex(),
  "fifo-queue": () => fifoQueue(),
  "unordered-queue": () => unorderedQueue(),
  set: () => set(),
  "multi-register": () => multiRegister(),
  kv: () => kv(),
};

/** Names accepted by {@link modelByName}. */
export const MODEL_NAMES: readonly string[] = Object.keys(MODELS);

/** A fresh model by registry name, or undefined for an unknown name. */
export function modelByName(name: string): AnyModel | undefined {
  return Object.hasOwn(MODELS, name) ? MODELS[name]!() : undefined;
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
