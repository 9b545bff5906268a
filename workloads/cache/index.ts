/**
 * cache: every client keeps a local copy of a small subtree (/zk-chaos-cache and its children) driven by
 * watches, while the same clients write to it: `put` sets a child's data (creating it if missing),
 * `delete` removes one. Seed 002: caches that miss events across a reconnect.
 * - `naive`: re-arms its watches after a reconnect or a new session but does not re-read what changed
 *   meanwhile. While the session survives, ZooKeeper re-delivers the watches (setWatches) and it stays
 *   right; after an expiry every change made while it was gone is missed until that znode changes again.
 * - `resync`: after every reconnect and every new session it syncs and re-reads the subtree, and merges by
 *   zxid (never replaces a newer version with an older one).
 * Keys are written with very different frequencies (a few hot, most cold), so a missed cold key stays
 * missed: what a real configuration tree looks like.
 * Judged by cache-order, missed-updates and cache-convergence (checkers/cache/).
 */
import { fileURLToPath } from "node:url";
import { withAfterHeal } from "../after-heal/with-after-heal.ts";
import { cacheConvergence } from "../../checkers/cache/cache-convergence.ts";
import { cacheOrder } from "../../checkers/cache/cache-order.ts";
import { missedUpdates } from "../../checkers/cache/missed-updates.ts";
import type { Random } from "../../kernel/random.ts";
import type { OpRequest, Workload } from "../workload.ts";

export const CACHE_ROOT = "/zk-chaos-cache";
export const CACHE_VARIANTS = ["naive", "resync"] as const;
/** Children of the root the writers use. */
export const CACHE_KEYS: readonly string[] = Array.from(
  { length: 20 },
  (_, i) => `k${String(i).padStart(2, "0")}`,
);
/** Key i is written with weight HOT_RATIO^i: k00 a third of the writes, k19 one in a few thousand. */
const HOT_RATIO = 0.7;
const READ_SHARE = 0.6;
const DELETE_SHARE = 0.05;

const WEIGHTS = CACHE_KEYS.map((_, i) => HOT_RATIO ** i);
const TOTAL = WEIGHTS.reduce((a, b) => a + b, 0);

/** A key drawn by its weight. */
export function pickKey(random: Random): string {
  let r = random.next() * TOTAL;
  for (const [i, w] of WEIGHTS.entries()) {
    r -= w;
    if (r < 0) return CACHE_KEYS[i]!;
  }
  return CACHE_KEYS[CACHE_KEYS.length - 1]!;
}

/** The main phase's op n: a read of the local copy, a put of the unique value n, or a delete. */
export function cacheOp(random: Random, n: number): OpRequest {
  const r = random.next();
  if (r < READ_SHARE) return { f: "read", value: null };
  if (r < READ_SHARE + DELETE_SHARE) return { f: "delete", value: { key: pickKey(random) } };
  return { f: "put", value: { key: pickKey(random), value: n } };
}

export const cacheWorkload: Workload = withAfterHeal(
  {
    name: "cache",
    variants: CACHE_VARIANTS,
    fixedVariants: ["resync"],
    defaultNemesis: "client-pause",
    clientModule: fileURLToPath(new URL("./client.ts", import.meta.url)),
    reads: new Set(["read", "final"]),
    nextOp: cacheOp,
    finalOps: () => [{ f: "final", value: null }],
    checkers: () => [cacheOrder, missedUpdates, cacheConvergence],
  },
  { progress: ["put", "delete", "read", "final"] },
);
