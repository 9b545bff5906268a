/**
 * lock: the ephemeral-sequential lock recipe (create `lock-<session>-` EPHEMERAL_SEQUENTIAL under the lock
 * node; the lowest child holds; each waiter watches only its predecessor). One op, `critical`: acquire
 * (bounded wait) → read the guarded counter (enter) → hold it `holdMs` → write the value + 1 (exit) →
 * release. Variants (seed 000, 002):
 * - `naive`: no token, ignores Disconnected: a holder paused past its session timeout resumes and writes
 *   although its lock node is gone and another client holds the lock;
 * - `aware`: stops on Disconnected and, once reconnected, re-checks its lock node in the same session before
 *   acting again — narrows the window but cannot close it (a paused process notices nothing);
 * - `fenced`: the lock node's czxid is a fencing token at a resource that rejects a token lower than the
 *   highest it has seen;
 * - `persistent`: as fenced, but the lock nodes are PERSISTENT_SEQUENTIAL: a holder or waiter whose session
 *   ends (a pause past the session timeout) leaves its node behind, and nobody takes the lock again.
 * Judged by lock-safety and lost-updates, both from the resource's own log, and by after-heal: once the
 * faults are healed a client takes the lock, and no lock node belongs to a session no client holds.
 */
import { fileURLToPath } from "node:url";
import { lockSafety } from "../../checkers/lock-safety.ts";
import type { Random } from "../../kernel/random.ts";
import type { OpRequest, Workload } from "../workload.ts";
import { withAfterHeal } from "../after-heal/with-after-heal.ts";
import { counter } from "./counter.ts";

export const LOCK_ROOT = "/zk-chaos-lock";
/** The guarded resource's key: the counter the critical section increments. */
export const LOCK_KEY = "lock-counter";
export const LOCK_VARIANTS = ["naive", "aware", "fenced", "persistent"] as const;
/** Critical-section length bounds (ms): long enough that a client pause lands inside one. */
export const HOLD_MS: readonly [number, number] = [50, 200];

export interface CriticalValue {
  holdMs: number;
}

export const lockWorkload: Workload = withAfterHeal(
  {
    name: "lock",
    variants: LOCK_VARIANTS,
    fixedVariants: ["fenced"],
    defaultNemesis: "client-pause",
    clientModule: fileURLToPath(new URL("./client.ts", import.meta.url)),
    reads: new Set<string>(),
    fencedResource: (variant) => variant === "fenced" || variant === "persistent",
    nextOp(random: Random): OpRequest {
      const value: CriticalValue = { holdMs: random.int(HOLD_MS[0], HOLD_MS[1]) };
      return { f: "critical", value };
    },
    // After the heal every client takes the lock once more (the lock is live again), then lists the lock nodes.
    finalOps: () => [{ f: "critical", value: { holdMs: HOLD_MS[0] } satisfies CriticalValue }],
    checkers: (_variant, resource) => [lockSafety(resource), counter(resource, LOCK_KEY)],
  },
  { progress: ["critical"], ephemerals: [LOCK_ROOT] },
);
