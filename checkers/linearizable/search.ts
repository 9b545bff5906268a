/**
 * The Wing & Gong linearizability search with Lowe's memoization, as in Porcupine's checker.go, on typed
 * arrays: call and return entries in one doubly linked list sorted by time (node 0 is the head), a stack of
 * linearized calls, a bitset of linearized ops with an incremental XOR hash, and integer model states.
 *
 * Three additions over Porcupine, each keeping the verdict exact:
 * - a read-only operation that can be linearized now is linearized now, with no alternatives tried —
 *   moving a state-preserving op to the front of any valid linearization of the rest keeps it valid — and
 *   if that configuration is already known to fail, so is the current one;
 * - an indeterminate operation (return at +Infinity) is never linearized where it would change nothing:
 *   removing it there and putting it last gives an equally valid linearization;
 * - once only indeterminate operations are left, the history is linearizable (models accept an unknown
 *   output in any state, so they can all go last);
 * - with a model's read lookahead (kv, set): when no state-changing op other than grow-only ones can still
 *   come before a pending read and the model says its output can no longer be reached, the configuration
 *   fails now rather than at that read's return.
 */
import { getHeapStatistics } from "node:v8";
import { ADDED, ConfigCache, FULL } from "./config-cache.ts";

/** One partition's operations reduced to what the search needs; op ids are 0..n-1. */
export interface SearchProblem {
  readonly n: number;
  /** Real-time call / return keys per op; a return may be Infinity. */
  readonly call: ArrayLike<number>;
  readonly ret: ArrayLike<number>;
  /** 1 where the op never changes the state. */
  readonly readOnly: Uint8Array;
  /** Transitions: state after op `op` in state `state` (0 = initial), or -1 when it cannot happen there. */
  readonly table: { next(state: number, op: number): number };
  /** Optional read lookahead (Model.growOnly / canStillRead). */
  readonly lookahead?: {
    /** 1 where the op only ever grows the state. */
    readonly growOnly: Uint8Array;
    /**
     * Which part of the state each op touches (kv: its key; all 0 when unknown): only blockers of the
     * read's own group can come to its rescue.
     */
    readonly group: Int32Array;
    /** May read-only op `op` still succeed from `state` if only grow-only ops come first? */
    canStillRead(state: number, op: number): boolean;
  };
}

/** When to give up with "unknown". */
export interface SearchLimits {
  /** performance.now() value past which the search stops. */
  readonly deadline: number;
  readonly signal?: AbortSignal;
  /** Bytes the configuration cache may hold. */
  readonly maxCacheBytes: number;
  /** Checked with the clock: memory held off the JS heap besides the cache (the memo tables), in bytes. */
  readonly extraBytes?: () => number;
  /** Memory budget in bytes: cache + extraBytes + JS heap growth since the search began. */
  readonly maxBytes?: number;
}

/** A longest linearizable prefix found, and the op whose return the search could not get past after it. */
export interface Prefix {
  readonly ops: Int32Array;
  /** Model state id after the prefix. */
  readonly state: number;
  /** The op whose return was reached while it was still unlinearized. */
  readonly stuck: number;
}

/** What the search found. */
export type SearchOutcome =
  | { readonly result: "ok"; readonly linearization: Int32Array; readonly stats: SearchStats }
  | { readonly result: "illegal"; readonly longest: Prefix[]; readonly stats: SearchStats }
  | {
      readonly result: "unknown";
      readonly reason: "timeout" | "aborted" | "memory";
      readonly longest: Prefix[];
      readonly stats: SearchStats;
    };

/** Work done, for reports and benchmarks. */
export interface SearchStats {
  readonly iterations: number;
  readonly backtracks: number;
  readonly cacheEntries: number;
  readonly cacheBytes: number;
}

/** Longest prefixes kept as evidence (distinct configurations of the greatest length). */
const MAX_PREFIXES = 3;

function zobrist(n: number): Int32Array {
  // xorshift32 with a fixed seed: deterministic runs, well-spread bits
  const z = new Int32Array(n);
  let x = 0x9e3779b9 | 0;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    z[i] = x;
  }
  return z;
}

/** Sort the 2n entries (call of op i = i, return of op i = n + i) by time; calls before returns at equal times. */
function sortEntries(p: SearchProblem): Int32Array {
  const n = p.n;
  const idx = Array.from({ length: 2 * n }, (_, i) => i);
  const key = (e: number): number => (e < n ? p.call[e]! : p.ret[e - n]!);
  idx.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) return ka < kb ? -1 : 1;
    const ra = a >= n ? 1 : 0;
    const rb = b >= n ? 1 : 0;
    return ra - rb || a - b;
  });
  return Int32Array.from(idx);
}

/** The longest prefixes seen at dead ends: distinct configurations (by hash and state) of the greatest length. */
class Longest {
  length = -1;
  prefixes: Prefix[] = [];
  private keys: number[] = [];

  /** Offer the stack's first `sp` entries as a prefix ending in (hash, state), stuck at op `stuck`. */
  offer(
    sp: number,
    hash: number,
    state: number,
    stuck: number,
    stackNode: Int32Array,
    nodeOp: Int32Array,
  ): void {
    if (sp < this.length || (sp === this.length && this.prefixes.length >= MAX_PREFIXES)) return;
    if (sp > this.length) {
      this.length = sp;
      this.prefixes = [];
      this.keys = [];
    } else {
      for (let i = 0; i < this.keys.length; i += 2)
        if (this.keys[i] === hash && this.keys[i + 1] === state) return;
    }
    const ops = new Int32Array(sp);
    for (let i = 0; i < sp; i++) ops[i] = nodeOp[stackNode[i]!]!;
    this.prefixes.push({ ops, state, stuck });
    this.keys.push(hash, state);
  }
}

function searchStats(cache: ConfigCache, iterations: number, backtracks: number): SearchStats {
  return { iterations, backtracks, cacheEntries: cache.size, cacheBytes: cache.bytes };
}

/**
 * Why to stop now, if a limit is reached. Memory counts the cache and memo (typed arrays) plus what the JS
 * heap grew since the search began (model states); and the search stops anyway well before V8's heap limit,
 * so that it answers "unknown" instead of dying of an out-of-memory crash.
 */
function limitReached(
  limits: SearchLimits,
  cache: ConfigCache,
  heapStart: number,
): "timeout" | "aborted" | "memory" | undefined {
  if (performance.now() > limits.deadline) return "timeout";
  if (limits.signal?.aborted) return "aborted";
  const heap = getHeapStatistics();
  if (heap.used_heap_size > 0.7 * heap.heap_size_limit) return "memory";
  if (limits.maxBytes !== undefined) {
    const used = cache.bytes + (limits.extraBytes?.() ?? 0) + Math.max(0, heap.used_heap_size - heapStart);
    if (used > limits.maxBytes) return "memory";
  }
  return undefined;
}

/**
 * The cache key of the current configuration with op `skip` also linearized (-1: none): the first
 * unlinearized return, then the unlinearized calls before it, in list order. It stands for the whole
 * linearized set — every op returning before that return is linearized, none calling after it is, and of
 * those in flight there all but the listed ones are — so it grows with concurrency, not history length.
 */
function frontierKey(
  skip: number,
  next: Int32Array,
  nodeOp: Int32Array,
  nodeMatch: Int32Array,
  key: Int32Array,
): number {
  let len = 1;
  key[0] = -1;
  for (let e = next[0]!; e !== 0; e = next[e]!) {
    const op = nodeOp[e]!;
    if (op === skip) continue;
    if (nodeMatch[e] === 0) {
      key[0] = op;
      break;
    }
    key[len++] = op;
  }
  return len;
}

/** The linearized prefix, then whatever (indeterminate) ops remain in the list, in call order. */
function linearization(
  n: number,
  sp: number,
  stackNode: Int32Array,
  nodeOp: Int32Array,
  next: Int32Array,
  nodeMatch: Int32Array,
): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < sp; i++) out[i] = nodeOp[stackNode[i]!]!;
  let k = sp;
  for (let e = next[0]!; e !== 0; e = next[e]!) if (nodeMatch[e] !== 0) out[k++] = nodeOp[e]!;
  return out;
}

/**
 * Decide whether the problem's operations are linearizable. (One function with no closures over its loop
 * variables, so that they stay in registers.)
 */
export function search(p: SearchProblem, limits: SearchLimits): SearchOutcome {
  const n = p.n;
  const words = (n + 31) >>> 5;
  const cache = new ConfigCache(limits.maxCacheBytes);
  if (n === 0) return { result: "ok", linearization: new Int32Array(0), stats: searchStats(cache, 0, 0) };

  // linked list: node k+1 holds sorted entry k; nodeMatch[call node] = its return node, 0 for returns
  const order = sortEntries(p);
  const size = 2 * n + 1;
  const next = new Int32Array(size);
  const prev = new Int32Array(size);
  const nodeOp = new Int32Array(size);
  const nodeMatch = new Int32Array(size);
  const retNode = new Int32Array(n);
  for (let k = 0; k < 2 * n; k++) {
    const e = order[k]!;
    const node = k + 1;
    nodeOp[node] = e < n ? e : e - n;
    if (e >= n) retNode[e - n] = node;
    next[k] = node;
    prev[node] = k;
  }
  next[2 * n] = 0;
  for (let node = 1; node < size; node++) {
    const e = order[node - 1]!;
    if (e < n) nodeMatch[node] = retNode[e]!;
  }

  const z = zobrist(n);
  const readOnly = p.readOnly;
  const table = p.table;
  const open = new Uint8Array(n); // 1 = indeterminate (returns at +Infinity)
  for (let i = 0; i < n; i++) open[i] = p.ret[i] === Infinity ? 1 : 0;
  const bits = new Uint32Array(Math.max(1, words)); // linearized ops (the lookahead's blockers read it)
  const key = new Int32Array(n + 1);
  const stackNode = new Int32Array(n);
  const stackState = new Int32Array(n);
  const stackGreedy = new Uint8Array(n);
  const longest = new Longest();
  // read lookahead: blockers = ops that may change the state other than by growing it, per group (kv key),
  // in call order; bp[g] = index (into `blockers`) of group g's first blocker not yet linearized
  const look = p.lookahead;
  const ret = p.ret;
  let groups = 0;
  if (look) for (let i = 0; i < n; i++) groups = Math.max(groups, look.group[i]! + 1);
  const group = look ? look.group : new Int32Array(n);
  const blockerIds = look
    ? Array.from({ length: n }, (_, i) => i)
        .filter((i) => readOnly[i] === 0 && look.growOnly[i] === 0)
        .sort((a, b) => group[a]! - group[b]! || p.call[a]! - p.call[b]! || a - b)
    : [];
  const blockers = Int32Array.from(blockerIds);
  const bp = new Int32Array(groups); // first unlinearized blocker of each group
  const bpEnd = new Int32Array(groups);
  for (let k = 0; k < blockers.length; k++) bpEnd[group[blockers[k]!]!] = k + 1;
  for (let g = 0, k = 0; g < groups; g++) {
    bp[g] = k;
    if (bpEnd[g]! === 0) bpEnd[g] = k;
    k = bpEnd[g]!;
  }
  const stackBp = new Int32Array(n); // group g's bp before the push (restored on pop), -1 = unchanged
  const heapStart = getHeapStatistics().used_heap_size;
  let sp = 0;
  let state = 0;
  let hash = 0;
  let iterations = 0;
  let backtracks = 0;
  // the cache is full: stop with what was learnt so far
  const outOfMemory = (): SearchOutcome => ({
    result: "unknown",
    reason: "memory",
    longest: longest.prefixes,
    stats: searchStats(cache, iterations, backtracks),
  });

  // `fresh`: the current configuration was just reached, so first look for a read-only op to take greedily
  let fresh = true;
  let entry = next[0]!;
  while (next[0] !== 0) {
    if ((++iterations & 0x3ff) === 0) {
      const reason = limitReached(limits, cache, heapStart);
      if (reason) {
        return {
          result: "unknown",
          reason,
          longest: longest.prefixes,
          stats: searchStats(cache, iterations, backtracks),
        };
      }
    }
    let deadEnd = false;
    let pushed = -1; // node to push, with its next state in `pushState` and hash in `pushHash`
    let pushState = 0;
    let pushHash = 0;
    if (fresh) {
      // pass 1: a read-only op that can go now goes now, with no alternatives (see module comment);
      // one that never can (lookahead) fails the configuration
      fresh = false;
      for (let e = next[0]!; nodeMatch[e] !== 0; e = next[e]!) {
        const op = nodeOp[e]!;
        if (readOnly[op] === 0 || open[op] === 1) continue;
        const ns = table.next(state, op);
        if (ns < 0) {
          if (look === undefined) continue;
          const g = group[op]!;
          const blockerCall = bp[g]! < bpEnd[g]! ? p.call[blockers[bp[g]!]!]! : Infinity;
          if (blockerCall > ret[op]! && !look.canStillRead(state, op)) {
            longest.offer(sp, hash, state, op, stackNode, nodeOp);
            deadEnd = true;
            break;
          }
          continue;
        }
        const nh = hash ^ z[op]!;
        const added = cache.add(nh, ns, key, frontierKey(op, next, nodeOp, nodeMatch, key));
        if (added === FULL) {
          return outOfMemory();
        }
        if (added === ADDED) {
          pushed = e;
          pushState = ns;
          pushHash = nh;
        } else deadEnd = true; // its successor configuration already failed, so this one fails
        break;
      }
    }
    if (pushed < 0 && !deadEnd) {
      // pass 2 (Wing & Gong): the next call in the list that can go; read-only ones could not
      for (;;) {
        const match = nodeMatch[entry]!;
        if (match === 0) {
          const stuck = nodeOp[entry]!;
          // every op still to linearize returns at +Infinity: they can all go last, in any state
          if (open[stuck] === 1) {
            return {
              result: "ok",
              linearization: linearization(n, sp, stackNode, nodeOp, next, nodeMatch),
              stats: searchStats(cache, iterations, backtracks),
            };
          }
          longest.offer(sp, hash, state, stuck, stackNode, nodeOp);
          deadEnd = true;
          break;
        }
        const op = nodeOp[entry]!;
        if (readOnly[op] === 0) {
          const ns = table.next(state, op);
          // an indeterminate op that changes nothing here is the same as one that never happened (= last)
          if (ns >= 0 && !(ns === state && open[op] === 1)) {
            const nh = hash ^ z[op]!;
            const added = cache.add(nh, ns, key, frontierKey(op, next, nodeOp, nodeMatch, key));
            if (added === FULL) {
              return outOfMemory();
            }
            if (added === ADDED) {
              pushed = entry;
              pushState = ns;
              pushHash = nh;
              break;
            }
          }
        }
        entry = next[entry]!;
      }
    }
    if (pushed >= 0) {
      const op = nodeOp[pushed]!;
      const match = nodeMatch[pushed]!;
      stackNode[sp] = pushed;
      stackState[sp] = state;
      stackGreedy[sp] = readOnly[op]!;
      stackBp[sp] = -1;
      if (groups > 0 && readOnly[op] === 0) {
        const g = group[op]!;
        let b = bp[g]!;
        if (b < bpEnd[g]! && blockers[b] === op) {
          stackBp[sp] = b;
          // skip this one and any later ones already linearized
          do b++;
          while (b < bpEnd[g]! && (bits[blockers[b]! >>> 5]! & (1 << (blockers[b]! & 31))) !== 0);
          bp[g] = b;
        }
      }
      sp++;
      state = pushState;
      hash = pushHash;
      bits[op >>> 5]! ^= 1 << (op & 31);
      // lift the call and its return out of the list
      next[prev[pushed]!] = next[pushed]!;
      prev[next[pushed]!] = prev[pushed]!;
      next[prev[match]!] = next[match]!;
      if (next[match] !== 0) prev[next[match]!] = prev[match]!;
      entry = next[0]!;
      fresh = true;
      continue;
    }
    // backtrack; a greedily linearized read-only op had no alternatives, so keep popping past it
    backtracks++;
    let greedy: number;
    do {
      if (sp === 0)
        return {
          result: "illegal",
          longest: longest.prefixes,
          stats: searchStats(cache, iterations, backtracks),
        };
      sp--;
      const c = stackNode[sp]!;
      const op = nodeOp[c]!;
      greedy = stackGreedy[sp]!;
      state = stackState[sp]!;
      if (stackBp[sp] !== -1) bp[group[op]!] = stackBp[sp]!;
      hash ^= z[op]!;
      bits[op >>> 5]! ^= 1 << (op & 31);
      // unlift: put the return, then the call, back where they were
      const m = nodeMatch[c]!;
      next[prev[m]!] = m;
      if (next[m] !== 0) prev[next[m]!] = m;
      next[prev[c]!] = c;
      prev[next[c]!] = c;
      entry = next[c]!;
    } while (greedy === 1);
  }
  return {
    result: "ok",
    linearization: linearization(n, sp, stackNode, nodeOp, next, nodeMatch),
    stats: searchStats(cache, iterations, backtracks),
  };
}
