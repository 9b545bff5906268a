/**
 * A key-value store of strings (Porcupine's kv model): `get k` returns the value (initially ""), `put k v`
 * sets it, `append k v` appends. Keys are independent, so the model partitions by key; checked without
 * partitioning, the state is the whole map.
 *
 * For speed a state is one flat array `[hash, key0, value0, fnv0, key1, value1, fnv1, …]` (keys ascending,
 * values never "": absent = ""), carrying each value's FNV-1a hash (continued over appended text, so a new
 * state costs O(appended text)) and a state hash summed over keys (updated in O(1)). Comparisons look at
 * hashes first and at strings only when every hash agrees. Appends only grow a value, so a pending get
 * whose result no longer starts with the current value fails early (read lookahead) unless a put may
 * still come first.
 */
import type { Op } from "../../../kernel/op.ts";
import { UNKNOWN } from "../model.ts";
import type { Model, ReadOp } from "../model.ts";

/** kv operations. */
export interface KvInput {
  readonly f: "get" | "put" | "append";
  readonly key: string;
  readonly value: string;
}

/** A get's result, with its FNV-1a hash so that most mismatches are found without comparing strings. */
export interface KvOutput {
  readonly value: string;
  readonly h: number;
  /** FNV-1a of every prefix of `value` (filled in on first use, by the read lookahead). */
  prefix?: Int32Array;
}

/** Immutable kv state: `[hash, key0, value0, fnv0, key1, value1, fnv1, …]`. */
export type KvState = readonly (string | number)[];

const FNV_BASIS = 0x811c9dc5 | 0;
const NONE: KvOutput = { value: "", h: FNV_BASIS };

function fnv(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h;
}

/** One key's contribution to the state hash (summed over keys, so updates are O(1)). */
function term(key: string, valueHash: number): number {
  let x = fnv(valueHash, key) ^ 0x5bd1e995;
  x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d);
  return x ^ (x >>> 12);
}

/** Slot of `key` in `s` (index of the key), or -1. */
function find(s: KvState, key: string): number {
  for (let i = 1; i < s.length; i += 3) if (s[i] === key) return i;
  return -1;
}

/** The state as a plain object. */
export function kvEntries(s: KvState): Record<string, string> {
  const o: Record<string, string> = {};
  for (let i = 1; i < s.length; i += 3) o[s[i] as string] = s[i + 1] as string;
  return o;
}

/** `s` with `key` set to `value` (whose FNV hash is `valueHash`). */
function assign(s: KvState, key: string, value: string, valueHash: number): KvState {
  const i = find(s, key);
  let h = s[0] as number;
  if (i >= 0) {
    h = (h - term(key, s[i + 2] as number)) | 0;
    const out = s.slice();
    if (value === "") out.splice(i, 3);
    else {
      out[i + 1] = value;
      out[i + 2] = valueHash;
      h = (h + term(key, valueHash)) | 0;
    }
    out[0] = h;
    return out;
  }
  if (value === "") return s;
  // insert keeping keys sorted, so equal maps have equal arrays
  let j = 1;
  while (j < s.length && (s[j] as string) < key) j += 3;
  const out = s.slice();
  out.splice(j, 0, key, value, valueHash);
  out[0] = (h + term(key, valueHash)) | 0;
  return out;
}

/** Whether a get of `key` may return `output` in `s`: hashes first, strings only when they agree. */
function getMatches(s: KvState, key: string, output: KvOutput | typeof UNKNOWN): boolean {
  if (output === UNKNOWN) return true;
  const i = find(s, key);
  if (i < 0) return output.value === ""; // absent ⇔ ""
  return s[i + 2] === output.h && s[i + 1] === output.value;
}

/** FNV-1a of each prefix of the output's value, computed once per get. */
function prefixHashes(o: KvOutput): Int32Array {
  if (o.prefix) return o.prefix;
  const v = o.value;
  const p = new Int32Array(v.length + 1);
  let h = FNV_BASIS;
  p[0] = h;
  for (let i = 0; i < v.length; i++) p[i + 1] = h = Math.imul(h ^ v.charCodeAt(i), 16777619);
  return (o.prefix = p);
}

/**
 * Lookahead: with only appends to come, a get can still return `output` only if the key's value is a prefix
 * of it. Compared by hash: a collision can only answer "still possible", which is always safe.
 */
function canStillGet(s: KvState, key: string, output: KvOutput): boolean {
  const i = find(s, key);
  if (i < 0) return true; // "" is a prefix of everything
  const v = s[i + 1] as string;
  return v.length <= output.value.length && prefixHashes(output)[v.length] === s[i + 2];
}

const str = (v: unknown): string =>
  v === null || v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v);

/** Read a kv op: key from the op's `key` field, or from a `{key, value}` / `[key, value]` value. */
function readKvOp(invoke: Op, completion: Op | undefined): ReadOp<KvInput, KvOutput> | null {
  const f = invoke.f;
  if (f !== "get" && f !== "put" && f !== "append") return null;
  const v = invoke.value;
  let key: unknown = invoke.key;
  let arg: unknown = v;
  if (key === undefined) {
    if (Array.isArray(v)) [key, arg] = v;
    else if (v !== null && typeof v === "object")
      ({ key, value: arg } = v as { key?: unknown; value?: unknown });
  }
  if (key === undefined || key === null) return null;
  const input: KvInput = { f, key: String(key), value: f === "get" ? "" : str(arg) };
  if (f !== "get") return { input, output: NONE };
  if (!completion) return { input, output: UNKNOWN };
  let out: unknown = completion.value;
  if (invoke.key === undefined && out !== null && typeof out === "object") {
    out = Array.isArray(out) ? out[1] : (out as { value?: unknown }).value;
  }
  const value = str(out);
  return { input, output: { value, h: fnv(FNV_BASIS, value) } };
}

/** The kv model (`initial`: each key's value at the start; absent keys are ""). */
export function kv(initial: Readonly<Record<string, string>> = {}): Model<KvState, KvInput, KvOutput> {
  let start: KvState = [0];
  for (const [k, v] of Object.entries(initial)) start = assign(start, k, v, fnv(FNV_BASIS, v));
  return {
    name: "kv",
    init: () => start,
    step(s, input, output) {
      const k = input.key;
      switch (input.f) {
        case "get":
          return [getMatches(s, k, output), s];
        case "put":
          return [true, assign(s, k, input.value, fnv(FNV_BASIS, input.value))];
        case "append": {
          if (input.value === "") return [true, s];
          const i = find(s, k);
          if (i < 0) return [true, assign(s, k, input.value, fnv(FNV_BASIS, input.value))];
          return [
            true,
            assign(s, k, (s[i + 1] as string) + input.value, fnv(s[i + 2] as number, input.value)),
          ];
        }
      }
    },
    hash: (s) => s[0] as number,
    equal(a, b) {
      if (a === b) return true;
      if (a.length !== b.length) return false;
      // the state hash and every value's hash first (cheap), then keys and values
      for (let i = 0; i < a.length; i += 3) if (a[i] !== b[i]) return false;
      for (let i = 1; i < a.length; i += 3) if (a[i] !== b[i] || a[i + 1] !== b[i + 1]) return false;
      return true;
    },
    readOnly: (input) => input.f === "get",
    accepts: (s, input, output) => input.f !== "get" || getMatches(s, input.key, output),
    growOnly: (input) => input.f === "append",
    canStillRead: (s, input, output) => input.f !== "get" || canStillGet(s, input.key, output),
    partitionKey: (input) => input.key,
    describeOperation(input, output) {
      const o = output === UNKNOWN ? "?" : JSON.stringify(output.value);
      if (input.f === "get") return `get(${JSON.stringify(input.key)}) → ${o}`;
      return `${input.f}(${JSON.stringify(input.key)}, ${JSON.stringify(input.value)})${output === UNKNOWN ? " → ?" : ""}`;
    },
    describeState: (s) => JSON.stringify(kvEntries(s)),
    fromOp: readKvOp,
  };
}
