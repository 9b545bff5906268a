import { ensurePath } from "../zk/ensure-path.ts";
import { classify, ZkError, type ZkClient } from "../zk/index.ts";
import type { OpOutcome, OpRequest, WorkerContext, WorkloadClient } from "../workload.ts";
import { CACHE_KEYS, CACHE_ROOT } from "./index.ts";
import { LocalCopy } from "./local-copy.ts";
import { jsonOrdinal } from "../../checkers/ordinal.ts";
import type { CopyMap } from "../../checkers/cache/history.ts";

const pathOf = (key: string): string => `${CACHE_ROOT}/${key}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** How often the final op compares the copy with the truth while it waits. */
const FINAL_POLL_MS = 250;
/** Errors the final op waits out: the client reconnects (or opens a new session) meanwhile. */
const TRANSIENT: ReadonlySet<string> = new Set([
  "CONNECTIONLOSS",
  "OPERATIONTIMEOUT",
  "TIMEOUT",
  "SESSIONEXPIRED",
]);

/** How long a connected copy may lag an acknowledged write: a lagging server catches up or drops us by then. */
export const boundMs = (sessionTimeoutMs: number): number => 2 * sessionTimeoutMs;

const isKey = (v: unknown): v is string => typeof v === "string" && CACHE_KEYS.includes(v);

/** The subtree as a sync + plain reads show it (no watches, nothing journaled). */
export async function readTruth(zk: ZkClient): Promise<CopyMap> {
  await zk.sync(CACHE_ROOT);
  const { children } = await zk.getChildren2(CACHE_ROOT);
  const out: Record<string, [number | string, number | string]> = {};
  for (const key of [...children].sort()) {
    try {
      const { stat } = await zk.getData(pathOf(key));
      out[key] = [jsonOrdinal(stat.czxid), jsonOrdinal(stat.mzxid)];
    } catch (err) {
      if (!(err instanceof ZkError && err.code === "NONODE")) throw err;
    }
  }
  return out;
}

export const sameCopy = (a: CopyMap, b: CopyMap): boolean => {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every(
    (k) =>
      b[k] !== undefined && String(a[k]![0]) === String(b[k]![0]) && String(a[k]![1]) === String(b[k]![1]),
  );
};

/** The cache's client side: `naive` or `resync` (workloads/cache/index.ts). */
export default function cacheClient(variant: string): WorkloadClient {
  let local: LocalCopy | null = null;
  const copyOf = (ctx: WorkerContext): LocalCopy =>
    (local ??= new LocalCopy(variant === "resync", () => ctx.now()));

  async function put(ctx: WorkerContext, key: string, value: number, out: Record<string, unknown>) {
    const data = Buffer.from(String(value));
    try {
      const stat = await ctx.zk.setData(pathOf(key), data);
      Object.assign(out, { czxid: jsonOrdinal(stat.czxid), mzxid: jsonOrdinal(stat.mzxid) });
      return;
    } catch (err) {
      if (!(err instanceof ZkError && err.code === "NONODE")) throw err;
    }
    await ctx.zk.create(pathOf(key), data, "persistent");
    out.created = true;
    // create answers with the path only: the zxid comes from a read, if the node still holds our value.
    const { data: now, stat } = await ctx.zk.getData(pathOf(key)).catch(() => ({ data: null, stat: null }));
    if (stat && now?.toString() === String(value))
      Object.assign(out, { czxid: jsonOrdinal(stat.czxid), mzxid: jsonOrdinal(stat.mzxid) });
  }

  async function del(ctx: WorkerContext, key: string, out: Record<string, unknown>) {
    const { stat } = await ctx.zk.getData(pathOf(key));
    out.czxid = jsonOrdinal(stat.czxid);
    // On this version only: so the incarnation recorded is the one deleted.
    await ctx.zk.delete(pathOf(key), stat.version);
  }

  /**
   * Compare the copy with a sync + read until they agree or the bound has passed since the first truth read.
   * A lost connection or an expiry on the way is waited out (up to twice the bound): it is the final read.
   */
  async function final(ctx: WorkerContext, copy: LocalCopy, bound: number, out: Record<string, unknown>) {
    const giveUp = ctx.now() + 2 * bound * 1e6;
    let firstTruth: number | null = null;
    for (;;) {
      try {
        if (ctx.zk.state === "expired") await ctx.reconnect();
        await copy.attach(ctx.zk);
        const truth = await readTruth(ctx.zk);
        firstTruth ??= ctx.now();
        await copy.idle();
        if (!copy.complete) await copy.attach(ctx.zk).catch(() => undefined);
        const mine = copy.copy();
        const waited = (ctx.now() - firstTruth) / 1e6;
        const converged = sameCopy(mine, truth);
        if (converged || waited >= bound) {
          Object.assign(out, { copy: mine, truth, converged, afterMs: Math.round(waited) });
          return;
        }
      } catch (err) {
        if (ctx.now() > giveUp || !(err instanceof ZkError) || !TRANSIENT.has(err.code)) throw err;
      }
      await sleep(Math.min(FINAL_POLL_MS, bound / 4));
    }
  }

  return {
    async setup(ctx) {
      await ensurePath(ctx.zk, CACHE_ROOT);
    },

    async invoke(ctx: WorkerContext, op: OpRequest): Promise<OpOutcome> {
      const copy = copyOf(ctx);
      const arg = (op.value ?? {}) as { key?: unknown; value?: unknown };
      const out: Record<string, unknown> = { slot: ctx.slot };
      if (op.f === "put" || op.f === "delete") {
        if (!isKey(arg.key)) return { type: "fail", error: `unknown key ${String(arg.key)}` };
        out.key = arg.key;
        if (op.f === "put") out.value = arg.value;
      }
      const bound = boundMs(ctx.sessionTimeoutMs);
      try {
        await copy.attach(ctx.zk);
        switch (op.f) {
          case "read":
            // A round trip first: every event the server sent before it is in, and a dead session shows.
            await ctx.zk.exists(CACHE_ROOT);
            await copy.idle();
            if (!copy.complete)
              throw new ZkError("CONNECTIONLOSS", null, "read", CACHE_ROOT, "copy incomplete");
            Object.assign(out, { copy: copy.copy(), boundMs: bound });
            break;
          case "final":
            await final(ctx, copy, bound, out);
            out.boundMs = bound;
            break;
          case "put":
            await put(ctx, arg.key as string, Number(arg.value), out);
            break;
          case "delete":
            await del(ctx, arg.key as string, out);
            break;
          default:
            return { type: "fail", error: `unknown op ${op.f}` };
        }
        return { type: "ok", value: { ...out, journal: copy.drain() } };
      } catch (err) {
        const kind =
          op.f === "read" || op.f === "final" || (op.f === "delete" && out.czxid === undefined)
            ? "read"
            : "write";
        const { type, error } = classify(err, kind);
        delete out.copy;
        return { type, error, value: { ...out, journal: copy.drain() } };
      }
    },
  };
}
