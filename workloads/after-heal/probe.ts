/**
 * The after-heal probe (checkers/after-heal.ts): a final-phase op that waits a session timeout (every
 * session that was let go has expired by then and its ephemerals are gone), then lists the recipe's znodes
 * with their ephemeral owners. `withProbe` teaches any client to answer it, so a built-in and a user's own
 * recipe get the same probe.
 */
import { PROBE_F, type ListedNode, type ProbeValue } from "../../checkers/after-heal.ts";
import type { OpOutcome, OpRequest, WorkerContext, WorkloadClient } from "../workload.ts";
import { ZkError } from "../zk/index.ts";

/** Past the session timeout before listing: the server's expiry runs once a tick. */
const PROBE_MARGIN_MS = 2000;
/** Nodes listed per root at most. */
const MAX_NODES = 500;

/**
 * The probe op; the client knows which znodes to list. The runner may give it `{ waitMs }` (0 when no session
 * was let go); null waits the default.
 */
export const probeOp = (): OpRequest => ({ f: PROBE_F, value: null });

const waitOf = (value: unknown): number | undefined => {
  const w = (value as { waitMs?: unknown } | null)?.waitMs;
  return typeof w === "number" && Number.isFinite(w) && w >= 0 ? w : undefined;
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const noNode = (err: unknown): boolean => err instanceof ZkError && err.code === "NONODE";

/** Wait `waitMs`, then list each root and its children with their owners (after a sync, so it is current). */
export async function listEphemerals(
  ctx: WorkerContext,
  roots: readonly string[],
  waitMs = ctx.sessionTimeoutMs + PROBE_MARGIN_MS,
): Promise<ProbeValue> {
  const started = performance.now();
  await sleep(waitMs);
  const waitedMs = Math.round(performance.now() - started);
  const zk = ctx.zk;
  const nodes: ListedNode[] = [];
  let truncated = false;
  const add = async (path: string): Promise<boolean> => {
    const stat = await zk.exists(path);
    if (stat) nodes.push({ path, owner: stat.ephemeralOwner, czxid: stat.czxid.toString() });
    return stat !== null;
  };
  for (const root of roots) {
    await zk.sync(root).catch((err: unknown) => {
      if (!noNode(err)) throw err;
    });
    if (!(await add(root))) continue;
    let children: string[];
    try {
      children = (await zk.getChildren(root)).sort();
    } catch (err) {
      if (noNode(err)) continue;
      throw err;
    }
    if (children.length > MAX_NODES) truncated = true;
    for (const name of children.slice(0, MAX_NODES)) await add(`${root === "/" ? "" : root}/${name}`);
  }
  return {
    roots: [...roots],
    sessionTimeoutMs: ctx.sessionTimeoutMs,
    waitedMs,
    nodes,
    ...(truncated ? { truncated: true } : {}),
  };
}

/** `client`, answering the probe op by listing `roots`; every other op goes to `client`. */
export function withProbe(client: WorkloadClient, roots: readonly string[]): WorkloadClient {
  return {
    ...(client.setup ? { setup: (ctx: WorkerContext) => client.setup!(ctx) } : {}),
    ...(client.close ? { close: (ctx: WorkerContext) => client.close!(ctx) } : {}),
    async invoke(ctx: WorkerContext, op: OpRequest): Promise<OpOutcome> {
      if (op.f !== PROBE_F) return client.invoke(ctx, op);
      return { type: "ok", value: await listEphemerals(ctx, roots, waitOf(op.value)) };
    },
  };
}
