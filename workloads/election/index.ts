/**
 * election: ephemeral-sequential leader election (a contender creates `latch-<session>-` EPHEMERAL_SEQUENTIAL;
 * the lowest latch leads; each contender watches only its predecessor). The leader writes numbered entries,
 * to ZooKeeper (setData on the state node, as Flink's leader writes its state) and to the guarded resource
 * (holder = the tenure: client, session and latch; epoch = the latch's czxid; id = the entry number).
 * Ops: `write` (a non-leader waits briefly to become leader, else fails) and `resign` (the leader deletes its
 * latch and queues again, so tenures change without faults too). Variants (seed 000, 004):
 * - `naive`: the leader writes without checking it still leads — after its session expired and the client
 *   library handed it a new session (Curator retries on a new client), it carries on as the old tenure;
 * - `guarded`: every leader write is a multi of check(latch) + the write (seed 004, option 1); a failed
 *   check deposes the leader. It writes to ZooKeeper only: the check guards nothing outside. Needs multi;
 * - `fenced`: as naive, but the latch's czxid is a fencing token at a resource that rejects a lower token;
 *   a rejected leader steps down.
 * Judged by leader-safety where each variant's writes land: the resource's own log (naive, fenced) and
 * ZooKeeper's order of the leaders' committed writes, by mzxid (naive, guarded; fenced's ZooKeeper writes
 * are not what its token protects); and by after-heal: once healed, a leader is elected and writes, and no
 * latch belongs to a session no client holds.
 */
import { fileURLToPath } from "node:url";
import { withAfterHeal } from "../after-heal/with-after-heal.ts";
import { leaderSafety, leaderSafetyInZooKeeper } from "../../checkers/leader-safety.ts";
import type { Random } from "../../kernel/random.ts";
import type { OpRequest, Workload } from "../workload.ts";

export const ELECTION_ROOT = "/zk-chaos-election";
export const LATCH_ROOT = `${ELECTION_ROOT}/latches`;
export const STATE_PATH = `${ELECTION_ROOT}/state`;
/** The guarded resource's key: the leader's log. */
export const ELECTION_KEY = "election-log";
export const ELECTION_VARIANTS = ["naive", "guarded", "fenced"] as const;
/** Share of `resign` ops. */
export const RESIGN_SHARE = 0.1;

export const electionWorkload: Workload = withAfterHeal(
  {
    name: "election",
    variants: ELECTION_VARIANTS,
    fixedVariants: ["guarded", "fenced"],
    defaultNemesis: "client-pause",
    clientModule: fileURLToPath(new URL("./client.ts", import.meta.url)),
    reads: new Set<string>(),
    // A leader is paused as it starts a write, not as it resigns.
    aimAt: ["write"],
    needsMulti: (variant) => variant === "guarded",
    fencedResource: (variant) => variant === "fenced",
    nextOp(random: Random): OpRequest {
      return random.next() < RESIGN_SHARE ? { f: "resign", value: null } : { f: "write", value: null };
    },
    // After the heal: whoever leads writes once more (the election is live again); then list the latches.
    finalOps: () => [{ f: "write", value: null }],
    checkers: (variant, resource) => [
      ...(variant === "guarded"
        ? [leaderSafetyInZooKeeper()]
        : variant === "fenced"
          ? [leaderSafety(resource)]
          : [leaderSafety(resource), leaderSafetyInZooKeeper()]),
    ],
  },
  { progress: ["write"], ephemerals: [LATCH_ROOT] },
);
