/**
 * The exporter's client side (see index.ts). Ops:
 * - `emit e<n>` → create /zk-chaos-events/e<n>; ok when created, info when the reply was lost;
 * - `export` → one pass: ok [ids written to the sink]; deduped non-leaders → fail "not-leader" (nothing
 *   done);
 * - `export "final"` (final phase) → naive: one pass; deduped: until no event is left, the leader exports
 *   and the others wait (one of them takes over if the leader's session goes).
 */
import type { OpOutcome, OpRequest, WorkerContext, WorkloadClient } from "../workload.ts";
import {
  bySequence,
  errorCode,
  hasCode,
  isIndeterminate,
  recover,
  recoveryMs,
  sleep,
} from "../queue/recovery.ts";
import { ELECTION_PATH, EVENTS_PATH, SINK } from "./index.ts";
import { ensurePath } from "../zk/ensure-path.ts";
import { withProbe } from "../after-heal/probe.ts";

/** How long the final export keeps going. */
const FINAL_MS = 60_000;

/** Event ids in emit order (e<n>, by n). */
export const byEventOrder = (names: readonly string[]): string[] =>
  [...names].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)) || (a < b ? -1 : 1));

/** The election node prefix of one instance's session: `n-<slot>-<session>-`. */
export const candidatePrefix = (slot: number, session: string): string => `n-${slot}-${session}-`;

export default function exporterClient(variant: string): WorkloadClient {
  const deduped = variant === "deduped";
  /** naive: this instance's own progress — the ids it has written. */
  const exported = new Set<string>();
  /** deduped: our election node, for the session that created it. */
  let candidate: { session: string; name: string } | null = null;

  const holder = (ctx: WorkerContext): string => `c${ctx.slot}/${ctx.zk.sessionId}`;

  async function write(ctx: WorkerContext, id: string): Promise<void> {
    const reply = await ctx.resource.access({
      op: "write",
      key: SINK,
      holder: holder(ctx),
      process: ctx.process,
      id,
      idempotent: deduped,
      value: id,
    });
    if (!reply.accepted) throw new Error(`sink refused ${id}: ${reply.reason ?? "?"}`);
  }

  /** naive: write every event this instance has not written yet. */
  async function exportNaive(ctx: WorkerContext): Promise<OpOutcome> {
    let names: string[];
    try {
      names = byEventOrder(await ctx.zk.getChildren(EVENTS_PATH));
    } catch (err) {
      return { type: "fail", error: errorCode(err) };
    }
    const out: string[] = [];
    for (const id of names) {
      if (exported.has(id)) continue;
      await write(ctx, id);
      exported.add(id);
      out.push(id);
    }
    return { type: "ok", value: out };
  }

  /** Join the election for the current session (once per session), Curator-style protected create. */
  async function joinElection(ctx: WorkerContext): Promise<string> {
    const session = ctx.zk.sessionId;
    if (candidate?.session === session) return candidate.name;
    const prefix = candidatePrefix(ctx.slot, session);
    const deadline = Date.now() + recoveryMs(ctx);
    for (;;) {
      try {
        const path = await ctx.zk.create(`${ELECTION_PATH}/${prefix}`, null, "ephemeral_sequential");
        candidate = { session, name: path.slice(ELECTION_PATH.length + 1) };
        return candidate.name;
      } catch (err) {
        if (!isIndeterminate(err) || Date.now() >= deadline) throw err;
      }
      await recover(ctx, deadline);
      if (ctx.zk.sessionId !== session) return joinElection(ctx); // a new session: start over
      try {
        const own = bySequence((await ctx.zk.getChildren(ELECTION_PATH)).filter((n) => n.startsWith(prefix)));
        if (own[0] !== undefined) {
          candidate = { session, name: own[0] };
          return own[0];
        }
      } catch {
        // still unknown: try again
      }
    }
  }

  /** Whether this instance leads: its election node is the lowest. */
  async function isLeader(ctx: WorkerContext): Promise<boolean> {
    const mine = await joinElection(ctx);
    const children = bySequence(await ctx.zk.getChildren(ELECTION_PATH));
    if (!children.includes(mine)) {
      candidate = null; // our node is gone (session over): rejoin next time
      return false;
    }
    return children[0] === mine;
  }

  /** deduped: one pass as leader — write each event (idempotent key), then mark it done by deleting it. */
  async function exportAsLeader(ctx: WorkerContext, out: string[]): Promise<void> {
    const names = byEventOrder(await ctx.zk.getChildren(EVENTS_PATH));
    for (const id of names) {
      await write(ctx, id);
      out.push(id);
      try {
        await ctx.zk.delete(`${EVENTS_PATH}/${id}`);
      } catch (err) {
        // NONODE: another (deposed) leader's delete went in. Anything else ends the pass; an event whose
        // delete stayed unknown may be written again later, which the idempotent key absorbs.
        if (!hasCode(err, "NONODE")) throw err;
      }
    }
  }

  async function exportDeduped(ctx: WorkerContext): Promise<OpOutcome> {
    let leader: boolean;
    try {
      leader = await isLeader(ctx);
    } catch (err) {
      return { type: "fail", error: errorCode(err) };
    }
    if (!leader) return { type: "fail", error: "not-leader" };
    const out: string[] = [];
    try {
      await exportAsLeader(ctx, out);
    } catch (err) {
      if (out.length === 0) throw err;
      return { type: "info", value: out, error: errorCode(err) };
    }
    return { type: "ok", value: out };
  }

  /** deduped final phase: until no event is left, export as leader or wait for the leader to finish. */
  async function exportFinal(ctx: WorkerContext): Promise<OpOutcome> {
    const deadline = Date.now() + FINAL_MS;
    const out: string[] = [];
    let lastError: string | undefined;
    while (Date.now() < deadline) {
      try {
        await ctx.zk.sync(EVENTS_PATH);
        if ((await ctx.zk.getChildren(EVENTS_PATH)).length === 0) return { type: "ok", value: out };
        if (await isLeader(ctx)) await exportAsLeader(ctx, out);
        else await sleep(300);
      } catch (err) {
        lastError = errorCode(err);
        await recover(ctx, deadline);
      }
    }
    return {
      type: out.length > 0 ? "info" : "fail",
      value: out,
      error: lastError ?? "events left at the deadline",
    };
  }

  return withProbe(
    {
      async setup(ctx) {
        await ensurePath(ctx.zk, EVENTS_PATH);
        await ensurePath(ctx.zk, ELECTION_PATH);
      },
      async invoke(ctx: WorkerContext, op: OpRequest): Promise<OpOutcome> {
        switch (op.f) {
          case "emit": {
            const id = String(op.value);
            await ctx.zk.create(`${EVENTS_PATH}/${id}`, Buffer.from(id, "utf8"), "persistent");
            return { type: "ok", value: id };
          }
          case "export":
            if (!deduped) return exportNaive(ctx);
            return op.value === "final" ? exportFinal(ctx) : exportDeduped(ctx);
          default:
            return { type: "fail", error: `unknown op ${op.f}` };
        }
      },
    },
    [ELECTION_PATH],
  );
}
