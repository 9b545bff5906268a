/**
 * lease-lock: a user's lock recipe, written only against zk-chaos's public API (as your own recipe would be).
 *
 * The lock is one ephemeral znode; its holder keeps it across many critical sections and trusts an in-memory
 * lease: one session timeout from the last time ZooKeeper confirmed the node was its own. Before a critical
 * section (read the guarded counter, work, write it + 1) it makes sure the lease outlasts the section.
 *
 * - `lease` (buggy): a process pause (GC, SIGSTOP) longer than the lease that lands inside a section: the
 *   session expires, another client takes the lock, and the paused holder wakes up and writes anyway. No
 *   clock check fixes it: the check was made before the pause.
 * - `fenced` (fixed): the same, but every write carries the lock node's czxid as a fencing token, and the
 *   guarded resource rejects a token lower than the highest it has seen: the stale write is refused.
 */
import {
  defineWorkload,
  type OpOutcome,
  type WorkerContext,
  type WorkloadClient,
  type ZkClient,
} from "zk-chaos";

const ROOT = "/lease-lock";
const LOCK = `${ROOT}/holder`;
/** The guarded resource's key: a counter each critical section increments. */
const KEY = "lease-lock-counter";
/** Critical-section length bounds, ms. */
const HOLD_MS: readonly [number, number] = [100, 300];
/** How long a client waits for the lock before its op fails. */
const WAIT_MS = 2_000;

interface Lease {
  readonly zk: ZkClient;
  /** The lock node's czxid: grows with every new holder. */
  readonly token: string;
  /** performance.now() until which the lease is trusted. */
  until: number;
}

const codeOf = (err: unknown): unknown => (err as { code?: unknown } | null)?.code;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function leaseLockClient(variant: string): WorkloadClient {
  const fenced = variant === "fenced";
  let lease: Lease | null = null;

  /** Create the lock node, or wait (bounded) for its holder to let go; null if it stayed taken. */
  async function acquire(ctx: WorkerContext): Promise<Lease | null> {
    if (ctx.zk.state === "expired" || ctx.zk.state === "closed") await ctx.reconnect();
    const zk = ctx.zk;
    const deadline = performance.now() + WAIT_MS;
    for (;;) {
      const sent = performance.now();
      try {
        await zk.create(LOCK, null, "ephemeral");
      } catch (err) {
        if (codeOf(err) !== "NODEEXISTS") throw err;
      }
      // Ours (also after a create whose reply was lost), or someone else's: watch it go.
      let wake = () => {};
      const gone = new Promise<void>((r) => (wake = r));
      const stat = await zk.exists(LOCK, () => wake());
      if (stat?.ephemeralOwner === zk.sessionId)
        return { zk, token: stat.czxid.toString(), until: sent + ctx.sessionTimeoutMs };
      if (stat === null) continue;
      const left = deadline - performance.now();
      if (left <= 0) return null;
      await Promise.race([gone, sleep(left)]);
    }
  }

  /** A lease that lasts at least `needMs` more: trusted as is, renewed, or taken anew. */
  async function leaseFor(ctx: WorkerContext, needMs: number): Promise<Lease | null> {
    if (lease && lease.zk !== ctx.zk) lease = null;
    if (lease && performance.now() + needMs < lease.until) return lease;
    if (lease) {
      const sent = performance.now();
      const stat = await lease.zk.exists(LOCK).catch(() => null);
      if (stat?.ephemeralOwner === lease.zk.sessionId) {
        lease.until = sent + ctx.sessionTimeoutMs;
        if (performance.now() + needMs < lease.until) return lease;
      }
      lease = null;
    }
    lease = await acquire(ctx);
    return lease;
  }

  async function critical(ctx: WorkerContext, holdMs: number): Promise<OpOutcome> {
    const held = await leaseFor(ctx, holdMs + 200);
    if (!held) return { type: "fail", error: "lock busy" };
    const access = {
      key: KEY,
      holder: `c${ctx.slot}/${held.zk.sessionId}`,
      process: ctx.process,
      section: held.token,
      ...(fenced ? { token: held.token } : {}),
    };
    const enter = await ctx.resource.access({ op: "enter", ...access });
    if (!enter.accepted) {
      lease = null;
      return { type: "fail", error: `enter rejected: ${enter.reason ?? ""}` };
    }
    const read = typeof enter.value === "number" ? enter.value : 0;
    await sleep(holdMs); // the work, trusting the lease checked above
    const exit = await ctx.resource.access({ op: "exit", ...access, value: read + 1 });
    if (!exit.accepted) {
      lease = null;
      return { type: "fail", error: `exit rejected: ${exit.reason ?? ""}` };
    }
    return { type: "ok", value: { read, wrote: read + 1, token: held.token } };
  }

  return {
    async setup(ctx) {
      await ctx.zk.create(ROOT, null, "persistent").catch((err: unknown) => {
        if (codeOf(err) !== "NODEEXISTS") throw err;
      });
    },
    async invoke(ctx, op) {
      if (op.f !== "critical") return { type: "fail", error: `unknown op ${op.f}` };
      const holdMs = (op.value as { holdMs?: number } | null)?.holdMs ?? HOLD_MS[0];
      return critical(ctx, holdMs);
    },
    async close() {
      if (lease) await lease.zk.delete(LOCK).catch(() => undefined);
      lease = null;
    },
  };
}

export default defineWorkload({
  name: "lease-lock",
  variants: ["lease", "fenced"],
  client: leaseLockClient,
  // A lease outlives a paused holder's session: a client pause past the session timeout breaks it.
  defaultNemesis: "client-pause",
  nextOp: (random) => ({ f: "critical", value: { holdMs: random.int(HOLD_MS[0], HOLD_MS[1]) } }),
  // Once the faults are healed, every client takes the lock once more.
  finalOps: () => [{ f: "critical", value: { holdMs: HOLD_MS[0] } }],
  checkers: (variant) => [
    { name: "lock-safety", fenced: variant === "fenced" },
    { name: "lost-updates", key: KEY },
  ],
});
