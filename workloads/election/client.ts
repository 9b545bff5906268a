/**
 * The election's client side: a contender's candidacy (its latch), its tenure while it leads, and the
 * leader's writes. Written only against our ZooKeeper client interface; see index.ts for the variants.
 */
import { ownNodes, predecessor, indeterminate, waitFor } from "../lock/sequential.ts";
import type { MultiResult, ZkClient } from "../zk/index.ts";
import { ZkError } from "../zk/index.ts";
import type { OpOutcome, OpRequest, WorkerContext, WorkloadClient } from "../workload.ts";
import { ELECTION_KEY, ELECTION_ROOT, LATCH_ROOT, STATE_PATH } from "./index.ts";
import { ensurePath } from "../zk/ensure-path.ts";
import { withProbe } from "../after-heal/probe.ts";

/** How long a non-leader's op waits to become leader before it fails. */
export const DEFAULT_WAIT_MS = 300;

interface Candidacy {
  readonly session: string;
  readonly path: string;
  readonly name: string;
  /** The latch's czxid: the tenure's epoch and fencing token. */
  readonly czxid: bigint;
}

interface Tenure {
  readonly candidacy: Candidacy;
  /** Who writes: client slot, session and latch. */
  readonly holder: string;
  next: number;
}

/** What the leader writes to ZooKeeper's state node. */
export const encodeEntry = (holder: string, epoch: string, entry: number): Buffer =>
  Buffer.from(JSON.stringify({ holder, epoch, entry }), "utf8");

/** The last entry number in the state node's data (0 for none or unreadable). */
export function decodeEntry(data: Buffer | null): number {
  if (!data || data.length === 0) return 0;
  try {
    const v = JSON.parse(data.toString("utf8")) as { entry?: unknown };
    return typeof v.entry === "number" && Number.isFinite(v.entry) ? v.entry : 0;
  } catch {
    return 0;
  }
}

const codeOf = (err: unknown): string => (err instanceof ZkError ? err.code : String(err));

export default function electionClient(
  variant: string,
  options: Record<string, unknown> = {},
): WorkloadClient {
  const guarded = variant === "guarded";
  const fenced = variant === "fenced";
  const waitMs = typeof options.waitMs === "number" ? options.waitMs : DEFAULT_WAIT_MS;
  let candidacy: Candidacy | null = null;
  let tenure: Tenure | null = null;
  /** The watch set on our predecessor, until it fires. */
  let watching: { zk: ZkClient; path: string; deleted: Promise<void> } | null = null;

  /** Enter the election: a latch named after our session (so a lost create reply can be found again). */
  async function join(zk: ZkClient): Promise<Candidacy> {
    const prefix = `latch-${zk.sessionId}-`;
    // No candidacy in this session: any latch of ours is a leftover (lost reply, failed resign).
    for (const name of ownNodes(await zk.getChildren(LATCH_ROOT), prefix))
      await zk.delete(`${LATCH_ROOT}/${name}`).catch(() => undefined);
    let path: string;
    try {
      path = await zk.create(`${LATCH_ROOT}/${prefix}`, null, "ephemeral_sequential");
    } catch (err) {
      if (!indeterminate(err)) throw err;
      const [mine] = ownNodes(await zk.getChildren(LATCH_ROOT), prefix);
      if (mine === undefined) throw err;
      path = `${LATCH_ROOT}/${mine}`;
    }
    const stat = await zk.exists(path);
    if (!stat) throw new ZkError("NONODE", null, "exists", path, "latch gone right after create");
    return { session: zk.sessionId, path, name: path.slice(LATCH_ROOT.length + 1), czxid: stat.czxid };
  }

  /** Become leader within `waitMs`, or say why not. */
  async function campaign(ctx: WorkerContext, zk: ZkClient): Promise<Tenure | string> {
    const deadline = performance.now() + waitMs;
    if (candidacy && candidacy.session !== zk.sessionId) candidacy = null; // the session, and its latch, are gone
    if (!candidacy) candidacy = await join(zk);
    for (;;) {
      const pred = predecessor(await zk.getChildren(LATCH_ROOT), candidacy.name);
      if (pred === undefined) {
        candidacy = null;
        return "latch gone";
      }
      if (pred === null) {
        const { data } = await zk.getData(STATE_PATH);
        return {
          candidacy,
          holder: `c${ctx.slot}/${candidacy.session}/${candidacy.name}`,
          next: decodeEntry(data) + 1,
        };
      }
      // One pending watch per predecessor and session: a non-leader's ops must not pile up watchers.
      const predPath = `${LATCH_ROOT}/${pred}`;
      if (!watching || watching.zk !== zk || watching.path !== predPath) {
        let wake: () => void = () => undefined;
        const deleted = new Promise<void>((resolve) => (wake = resolve));
        if ((await zk.exists(predPath, () => wake())) === null) continue;
        watching = { zk, path: predPath, deleted };
        void deleted.then(() => {
          if (watching?.deleted === deleted) watching = null;
        });
      }
      const { deleted } = watching;
      const left = deadline - performance.now();
      if (left <= 0) return "not leader";
      const r = await waitFor(zk, deleted, left);
      if (r === "ended") return "session ended";
      if (r === "timeout") return "not leader";
    }
  }

  function stepDown(zk: ZkClient): Promise<void> {
    const c = candidacy;
    tenure = null;
    candidacy = null;
    if (c && c.session === zk.sessionId) return zk.delete(c.path).catch(() => undefined);
    return Promise.resolve();
  }

  async function write(ctx: WorkerContext): Promise<OpOutcome> {
    // An expired session is gone for good: start over with a new one.
    if (ctx.zk.state === "expired" || ctx.zk.state === "closed") await ctx.reconnect();
    const zk = ctx.zk;
    // A new session means the old latch is gone. guarded knows its tenure ended with it; naive and fenced
    // carry on as the old tenure (the library reconnected; nothing told the application it was deposed).
    if (tenure && guarded && tenure.candidacy.session !== zk.sessionId) {
      tenure = null;
      candidacy = null;
    }
    if (!tenure) {
      let t: Tenure | string;
      try {
        t = await campaign(ctx, zk);
      } catch (err) {
        return { type: "fail", error: `campaign: ${codeOf(err)}` }; // nothing was written
      }
      if (typeof t === "string") return { type: "fail", error: t };
      tenure = t;
    }
    const { holder, candidacy: c } = tenure;
    const epoch = c.czxid.toString();
    const entry = tenure.next++;
    const data = encodeEntry(holder, epoch, entry);
    if (guarded) {
      let results: MultiResult[];
      try {
        results = await zk.multi([
          { op: "check", path: c.path, version: -1 },
          { op: "setData", path: STATE_PATH, data },
        ]);
      } catch (err) {
        if (err instanceof ZkError && err.code === "NONODE") {
          await stepDown(zk); // the latch is gone: no longer the leader, and nothing was written
          return { type: "fail", error: "deposed: latch gone" };
        }
        throw err; // the multi may have committed: info
      }
      // Only the ZooKeeper write is guarded: a write elsewhere after the multi could still land after a
      // successor's (only a fencing token protects that), so this variant's leader writes to ZooKeeper only.
      const set = results[1];
      const mzxid = set?.op === "setData" ? set.stat.mzxid.toString() : undefined;
      return { type: "ok", value: { entry, epoch, holder, ...(mzxid ? { mzxid } : {}) } };
    }
    const stat = await zk.setData(STATE_PATH, data);
    const reply = await ctx.resource.access({
      op: "write",
      key: ELECTION_KEY,
      holder,
      process: ctx.process,
      epoch,
      id: String(entry),
      value: entry,
      ...(fenced ? { token: epoch } : {}),
    });
    if (!reply.accepted) {
      await stepDown(zk); // a newer leader's token was seen: we were deposed
      return { type: "fail", error: `rejected: ${reply.reason ?? ""}` };
    }
    return { type: "ok", value: { entry, epoch, holder, mzxid: stat.mzxid.toString() } };
  }

  async function resign(ctx: WorkerContext): Promise<OpOutcome> {
    if (!tenure) return { type: "fail", error: "not leader" };
    const epoch = tenure.candidacy.czxid.toString();
    await stepDown(ctx.zk); // a leftover latch (lost reply) is cleaned up when this session joins again
    return { type: "ok", value: { resigned: epoch } };
  }

  return withProbe(
    {
      async setup(ctx) {
        await ensurePath(ctx.zk, ELECTION_ROOT);
        await ensurePath(ctx.zk, LATCH_ROOT);
        await ensurePath(ctx.zk, STATE_PATH);
      },
      async invoke(ctx: WorkerContext, op: OpRequest): Promise<OpOutcome> {
        switch (op.f) {
          case "write":
            return write(ctx);
          case "resign":
            return resign(ctx);
          default:
            return { type: "fail", error: `unknown op ${op.f}` };
        }
      },
      async close(ctx) {
        await stepDown(ctx.zk);
      },
    },
    [LATCH_ROOT],
  );
}
