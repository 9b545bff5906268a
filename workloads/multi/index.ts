/**
 * multi: transactions over a few znodes (x, y, z under one root), judged as Knossos's multi-register. Each
 * op is a `txn` of micro-ops `[r k v]` / `[w k v]` on distinct keys, reads first; every written value is
 * unique in the run, so a half-applied transaction or a read across two states shows. Variants:
 * - `atomic`: read the keys it reads (getData: value and version), then one multi of check(version) for
 *   each key read + setData for each key written. It commits at one zxid with every read still current, or
 *   not at all (a failed check: fail). A read-only txn validates its reads with a multi of checks alone.
 *   Needs multi;
 * - `separate`: the same steps as separate calls, no checks: reads from different moments (on a lagging
 *   follower, too), and writes that a lost connection can cut in half.
 * Znodes start empty, so every key reads as null (nil) before its first write.
 */
import { fileURLToPath } from "node:url";
import { withAfterHeal } from "../after-heal/with-after-heal.ts";
import { linearizable } from "../../checkers/linearizable/linearizable.ts";
import { multiRegister } from "../../checkers/linearizable/models/multi-register.ts";
import type { Random } from "../../kernel/random.ts";
import type { OpRequest, Workload } from "../workload.ts";

export const MULTI_ROOT = "/zk-chaos-multi";
/** Few keys keep the search small: the model's state is every key's value, and txns span keys. */
export const MULTI_KEYS = ["x", "y", "z"] as const;
export const MULTI_VARIANTS = ["atomic", "separate"] as const;
/** Shares of read-only and write-only txns; the rest read some keys and write others. */
export const READ_ONLY_SHARE = 0.4;
export const WRITE_ONLY_SHARE = 0.3;

/** One micro-op as the history holds it (Knossos's `[:r :x 1]`); a read's value is null until it ran. */
export type MicroOp = readonly ["r" | "w", string, number | null];

export const keyPath = (key: string): string => `${MULTI_ROOT}/${key}`;

/** A snapshot read of every key (the final phase's op). */
export const readAll = (): OpRequest => ({ f: "txn", value: MULTI_KEYS.map((k): MicroOp => ["r", k, null]) });

/**
 * The next txn. Written values are unique per run: op number `n` writes `n·keys + key index + 1`. Reads
 * come first and never touch a written key, so micro-op order within a txn does not matter.
 */
export function nextTxn(random: Random, n: number): OpRequest {
  const r = random.next();
  if (r < READ_ONLY_SHARE) return readAll();
  const keys = random.shuffle([...MULTI_KEYS]);
  const value = (k: string) => n * MULTI_KEYS.length + MULTI_KEYS.indexOf(k as never) + 1;
  if (r < READ_ONLY_SHARE + WRITE_ONLY_SHARE) {
    const writes = keys.slice(0, random.int(2, keys.length));
    return { f: "txn", value: writes.map((k): MicroOp => ["w", k, value(k)]) };
  }
  const reads = random.int(1, keys.length - 1);
  return {
    f: "txn",
    value: [
      ...keys.slice(0, reads).map((k): MicroOp => ["r", k, null]),
      ...keys.slice(reads).map((k): MicroOp => ["w", k, value(k)]),
    ],
  };
}

export const multiWorkload: Workload = withAfterHeal(
  {
    name: "multi",
    variants: MULTI_VARIANTS,
    fixedVariants: ["atomic"],
    defaultNemesis: "partition",
    clientModule: fileURLToPath(new URL("./client.ts", import.meta.url)),
    reads: new Set<string>(),
    needsMulti: (variant) => variant === "atomic",
    nextOp: nextTxn,
    // After the heal: one snapshot of every key per client, so what a cut transaction left shows.
    finalOps: () => [readAll()],
    checkers: () => [linearizable(multiRegister(), { timeoutMs: 60_000 })],
  },
  { progress: ["txn"] },
);
