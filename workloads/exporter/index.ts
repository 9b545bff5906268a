/**
 * exporter: seed 002's event exporter. `emit` ops create event znodes /zk-chaos-events/e<n> (the event id
 * is the name); every client slot is an exporter instance whose `export` ops write events to the guarded
 * resource's sink (`write`, key "sink", id = event id). Judged by duplicate-writes over the sink: each
 * event applied at most once, and none whose emit was acknowledged lost.
 * - `naive`: every instance exports every event it sees (its progress is its own, in memory) — "both
 *   instances store the event": duplicates under any nemesis, none included;
 * - `deduped`: leader election (ephemeral sequential nodes, lowest wins; only the leader exports, and marks
 *   an event done by deleting it after the sink acknowledged it) plus an idempotent event key at the sink,
 *   so a repeat by a deposed leader or a new leader's resync is acknowledged and not applied again.
 */
import { fileURLToPath } from "node:url";
import { withAfterHeal } from "../after-heal/with-after-heal.ts";
import type { Checker } from "../../checkers/checker.ts";
import { duplicateWrites } from "../../checkers/duplicate-writes.ts";
import type { Random } from "../../kernel/random.ts";
import type { ResourceEvent } from "../../kernel/resource.ts";
import type { OpRequest, Workload } from "../workload.ts";

export const EVENTS_PATH = "/zk-chaos-events";
export const ELECTION_PATH = "/zk-chaos-exporter-election";
/** The resource key the exporters write to. */
export const SINK = "sink";
export const EXPORTER_VARIANTS = ["naive", "deduped"] as const;
const EMIT_SHARE = 0.5;

/** The event id of op n (unique across the run). */
export const eventId = (n: number): string => `e${n}`;

/** The main phase's op n: emit event e<n>, or one export pass. */
export function exporterOp(random: Random, n: number): OpRequest {
  return random.next() < EMIT_SHARE ? { f: "emit", value: eventId(n) } : { f: "export", value: null };
}

/**
 * The sink's writes, as duplicate-writes reads them. It counts only what the sink applied: an idempotent
 * sink acknowledges a repeated id without applying it (`applied: false`), which is the dedup working.
 */
export function sinkWrites(resource: readonly ResourceEvent[]): ResourceEvent[] {
  return resource.filter((e) => e.op === "write" && e.key === SINK);
}

/** Evidence only (always valid): how many sink writes were repeats the idempotent key absorbed, and by whom. */
export function sinkRepeats(resource: readonly ResourceEvent[]): Checker {
  return {
    name: "sink-repeats",
    check: () => {
      const writes = resource.filter((e) => e.op === "write" && e.key === SINK);
      const repeats = writes.filter((e) => e.accepted && !e.applied);
      return {
        valid: true,
        writes: writes.length,
        applied: writes.filter((e) => e.applied).length,
        suppressedRepeats: repeats.length,
        repeatHolders: [...new Set(repeats.map((e) => e.holder))].slice(0, 20),
      };
    },
  };
}

export const exporterWorkload: Workload = withAfterHeal(
  {
    name: "exporter",
    variants: EXPORTER_VARIANTS,
    fixedVariants: ["deduped"],
    defaultNemesis: "partition",
    clientModule: fileURLToPath(new URL("./client.ts", import.meta.url)),
    reads: new Set<string>(),
    nextOp: exporterOp,
    finalOps: () => [{ f: "export", value: "final" }],
    checkers: (_variant, resource) => [
      duplicateWrites(sinkWrites(resource), { fs: ["emit"] }),
      sinkRepeats(resource),
    ],
  },
  { progress: ["export"], ephemerals: [ELECTION_PATH] },
);
