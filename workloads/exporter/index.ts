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
import type { Checker } from "../../checkers/checker.ts";
import { duplicateWrites } from "../../checkers/duplicate-writes.ts";
import type { ResourceEvent as CheckedEvent } from "../../checkers/resource-event.ts";
import type { Random } from "../../harness/core/random.ts";
import type { ResourceEvent } from "../../harness/resource/resource-log.ts";
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
 * The sink's writes as duplicate-writes reads them: one event per write to the sink, counted only when the
 * sink applied it. An idempotent sink acknowledges a repeated id without applying it (resource-server.ts,
 * `applied: false`): that repeat is the dedup working, not a second application.
 */
export function sinkApplications(resource: readonly ResourceEvent[]): CheckedEvent[] {
  return resource
    .filter((e) => e.op === "write" && e.key === SINK)
    .map((e) => ({
      time: e.time,
      holder: e.holder,
      op: e.op,
      key: e.key,
      ...(e.id !== undefined ? { id: e.id } : {}),
      accepted: e.accepted && e.applied,
      applied: e.applied,
      seq: e.seq,
      ...(e.process !== undefined ? { process: e.process } : {}),
    }));
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

export const exporterWorkload: Workload = {
  name: "exporter",
  variants: EXPORTER_VARIANTS,
  clientModule: fileURLToPath(new URL("./client.ts", import.meta.url)),
  reads: new Set<string>(),
  nextOp: exporterOp,
  finalOps: () => [{ f: "export", value: "final" }],
  checkers: (_variant, resource) => [
    duplicateWrites(sinkApplications(resource), { fs: ["emit"] }),
    sinkRepeats(resource),
  ],
};
