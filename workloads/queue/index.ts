/**
 * queue: ZooKeeper's queue recipe. Producers create sequential znodes under /zk-chaos-queue (the element's
 * value in the data); consumers take the lowest child. Judged by total-queue: every acknowledged enqueue is
 * dequeued exactly once by the end of the final drain (seed 001: a non-idempotent sequential create retried
 * after connection loss leaves the element twice).
 * - `naive`: on an indeterminate create (connection loss, timeout, expiry) it simply re-issues the create;
 * - `protected`: the name carries the op's unique id (`item-<slot>-<value>-`, Curator's protection mode);
 *   after an indeterminate create it syncs and lists the queue (and the taken-markers) for its own node
 *   before it creates again.
 * Consumers are the same for both: a take first claims the element by creating a marker
 * /zk-chaos-queue-taken/<name> (create is atomic: one claimant wins; after a lost reply the marker's data
 * says whose it is), then deletes the element. The markers stay, so a protected producer still finds its
 * element after a consumer took it, and the final drain can re-deliver elements whose claimant gave up.
 */
import { fileURLToPath } from "node:url";
import { withAfterHeal } from "../after-heal/with-after-heal.ts";
import { totalQueue } from "../../checkers/total-queue.ts";
import type { Random } from "../../kernel/random.ts";
import type { OpRequest, Workload } from "../workload.ts";

export const QUEUE_PATH = "/zk-chaos-queue";
/** Claim markers of taken elements, one per element ever taken, named as the element. */
export const TAKEN_PATH = "/zk-chaos-queue-taken";
export const QUEUE_VARIANTS = ["naive", "protected"] as const;
/** Share of enqueues among main-phase ops. */
const ENQUEUE_SHARE = 0.5;
/** Drain ops per client slot in the final phase (a second one picks up what a failed first one left). */
const DRAINS = 2;

/** The main phase's op n: an enqueue of the unique value n, or a dequeue. */
export function queueOp(random: Random, n: number): OpRequest {
  return random.next() < ENQUEUE_SHARE ? { f: "enqueue", value: n } : { f: "dequeue", value: null };
}

export const queueWorkload: Workload = withAfterHeal(
  {
    name: "queue",
    variants: QUEUE_VARIANTS,
    fixedVariants: ["protected"],
    defaultNemesis: "lost-replies",
    clientModule: fileURLToPath(new URL("./client.ts", import.meta.url)),
    // Every queue op may change the queue: none is a read.
    reads: new Set<string>(),
    // A lost dequeue reply is recovered (the claim marker says whose it is); a lost enqueue reply is the bug.
    aimAt: ["enqueue"],
    nextOp: queueOp,
    finalOps: () => Array.from({ length: DRAINS }, () => ({ f: "drain", value: null })),
    checkers: () => [totalQueue],
  },
  // after-heal: the drain gets every acknowledged item out within the bound after the heal.
  { progress: ["drain"], drained: true },
);
