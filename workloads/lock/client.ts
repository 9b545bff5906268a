/**
 * The lock's client side: one `critical` op = acquire → enter → hold → exit → release. Written only against
 * our ZooKeeper client interface (workloads/zk); see index.ts for the variants.
 */
import type { ZkClient, Stat } from "../zk/index.ts";
import { ZkError } from "../zk/index.ts";
import type { OpOutcome, OpRequest, WorkerContext, WorkloadClient } from "../workload.ts";
import { HOLD_MS, LOCK_KEY, LOCK_ROOT, type CriticalValue } from "./index.ts";
import { indeterminate, ownNodes, predecessor, sleep, waitConnected, waitFor } from "./sequential.ts";
import { ensurePath } from "../zk/ensure-path.ts";
import { withProbe } from "../after-heal/probe.ts";

/**
 * Default bounded wait for the lock, in session timeouts (12 s at the default 4 s): a dead holder's node is
 * gone within one, so a longer wait only stretches the phases' ends (they wait for ops in flight).
 */
export const ACQUIRE_TIMEOUT_SESSIONS = 3;
/** How long `aware` waits for a lost connection to come back before giving the lock up. */
const RECONNECT_WAIT_MS = 4_000;

interface Held {
  readonly zk: ZkClient;
  readonly session: string;
  readonly path: string;
  readonly stat: Stat;
  /** Disconnects this session had seen when the lock was last known held. */
  disconnects: number;
}

const codeOf = (err: unknown): string => (err instanceof ZkError ? err.code : String(err));

export default function lockClient(variant: string, options: Record<string, unknown> = {}): WorkloadClient {
  const persistent = variant === "persistent";
  const fenced = variant === "fenced" || persistent;
  const aware = variant === "aware";
  const acquireTimeoutOf = (ctx: WorkerContext): number =>
    typeof options.acquireTimeoutMs === "number"
      ? options.acquireTimeoutMs
      : ACQUIRE_TIMEOUT_SESSIONS * ctx.sessionTimeoutMs;

  // Disconnects per session, counted from the state events (aware acts on them).
  const disconnects = new WeakMap<ZkClient, number>();
  const track = (zk: ZkClient): void => {
    if (disconnects.has(zk)) return;
    disconnects.set(zk, 0);
    zk.on("state", (s) => {
      if (s === "disconnected") disconnects.set(zk, (disconnects.get(zk) ?? 0) + 1);
    });
  };

  /** Delete leftovers of this session (a create or a release whose reply was lost): they would block us. */
  async function cleanUp(zk: ZkClient, prefix: string): Promise<void> {
    const leftovers = ownNodes(await zk.getChildren(LOCK_ROOT), prefix);
    for (const name of leftovers) await zk.delete(`${LOCK_ROOT}/${name}`).catch(() => undefined);
  }

  /** The lock recipe: null when it was not acquired within the bounded wait (our node is then gone). */
  async function acquire(zk: ZkClient, waitMs: number): Promise<{ held: Held } | { error: string }> {
    const deadline = performance.now() + waitMs;
    const prefix = `lock-${zk.sessionId}-`;
    await cleanUp(zk, prefix);
    let path: string;
    try {
      path = await zk.create(
        `${LOCK_ROOT}/${prefix}`,
        null,
        persistent ? "persistent_sequential" : "ephemeral_sequential",
      );
    } catch (err) {
      // A lost reply: the node may exist. Its name carries our session, so we can find it (seed 001/002).
      if (!indeterminate(err)) throw err;
      const [mine] = ownNodes(await zk.getChildren(LOCK_ROOT), prefix);
      if (mine === undefined) throw err;
      path = `${LOCK_ROOT}/${mine}`;
    }
    const name = path.slice(LOCK_ROOT.length + 1);
    const giveUp = async (error: string) => {
      await zk.delete(path).catch(() => undefined);
      return { error };
    };
    for (;;) {
      const pred = predecessor(await zk.getChildren(LOCK_ROOT), name);
      if (pred === undefined) return { error: "lock node gone" };
      if (pred === null) {
        const stat = await zk.exists(path);
        if (!stat) return { error: "lock node gone" };
        return { held: { zk, session: zk.sessionId, path, stat, disconnects: disconnects.get(zk) ?? 0 } };
      }
      // Watch only the predecessor: its deletion wakes us alone.
      let wake: () => void = () => undefined;
      const deleted = new Promise<void>((resolve) => (wake = resolve));
      const st = await zk.exists(`${LOCK_ROOT}/${pred}`, () => wake());
      if (st === null) continue;
      const left = deadline - performance.now();
      // The timeout names the node we waited behind: what blocked the lock.
      if (left <= 0) return giveUp(`timeout behind ${pred}`);
      const r = await waitFor(zk, deleted, left);
      if (r === "ended") return { error: "session ended" };
      if (r === "timeout") return giveUp(`timeout behind ${pred}`);
    }
  }

  /**
   * `aware` only: may it act now? If the session saw a Disconnected since the lock was last known held, it
   * waits for the reconnect and re-checks its lock node in the same session. A paused process sees nothing,
   * so this narrows the window without closing it.
   */
  async function stillHeld(ctx: WorkerContext, held: Held): Promise<boolean> {
    const zk = held.zk;
    if (ctx.zk !== zk || zk.sessionId !== held.session) return false;
    if (zk.state === "connected" && (disconnects.get(zk) ?? 0) === held.disconnects) return true;
    if (!(await waitConnected(zk, RECONNECT_WAIT_MS))) return false;
    const seen = disconnects.get(zk) ?? 0;
    const stat = await zk.exists(held.path).catch(() => null);
    if (!stat || zk.state !== "connected") return false;
    held.disconnects = seen;
    return true;
  }

  const release = (held: Held): Promise<void> => held.zk.delete(held.path).catch(() => undefined);

  async function critical(ctx: WorkerContext, value: CriticalValue): Promise<OpOutcome> {
    // An expired session is gone for good: start over with a new one.
    if (ctx.zk.state === "expired" || ctx.zk.state === "closed") await ctx.reconnect();
    const zk = ctx.zk;
    track(zk);
    let got: { held: Held } | { error: string };
    try {
      got = await acquire(zk, acquireTimeoutOf(ctx));
    } catch (err) {
      // Nothing reached the resource: the op certainly did not happen (a leftover node is cleaned up later).
      return { type: "fail", error: `acquire: ${codeOf(err)}` };
    }
    if ("error" in got) return { type: "fail", error: `not acquired: ${got.error}` };
    const held = got.held;
    const token = fenced ? held.stat.czxid.toString() : undefined;
    const access = {
      key: LOCK_KEY,
      holder: `c${ctx.slot}/${held.session}`,
      process: ctx.process,
      section: held.path,
      ...(token !== undefined ? { token } : {}),
    };
    if (aware && !(await stillHeld(ctx, held))) {
      await release(held);
      return { type: "fail", error: "lost the lock before entering" };
    }
    const enter = await ctx.resource.access({ op: "enter", ...access });
    if (!enter.accepted) {
      await release(held);
      return { type: "fail", error: `enter rejected: ${enter.reason ?? ""}` };
    }
    const read = enter.value ?? null;
    await sleep(value.holdMs);
    if (aware && !(await stillHeld(ctx, held))) {
      await release(held);
      return { type: "fail", error: "lost the lock inside the critical section" };
    }
    const wrote = (typeof read === "number" ? read : 0) + 1;
    const exit = await ctx.resource.access({ op: "exit", ...access, value: wrote });
    await release(held);
    if (!exit.accepted) return { type: "fail", error: `exit rejected: ${exit.reason ?? ""}` };
    return { type: "ok", value: { read, wrote, ...(token !== undefined ? { token } : {}) } };
  }

  return withProbe(
    {
      async setup(ctx) {
        await ensurePath(ctx.zk, LOCK_ROOT);
      },
      async invoke(ctx: WorkerContext, op: OpRequest): Promise<OpOutcome> {
        if (op.f !== "critical") return { type: "fail", error: `unknown op ${op.f}` };
        const v = op.value as Partial<CriticalValue> | null;
        return critical(ctx, { holdMs: typeof v?.holdMs === "number" ? v.holdMs : HOLD_MS[0] });
      },
    },
    [LOCK_ROOT],
  );
}
