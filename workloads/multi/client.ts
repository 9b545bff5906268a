import { ensurePath } from "../zk/ensure-path.ts";
import { classify } from "../zk/classify.ts";
import type { MultiOp } from "../zk/index.ts";
import type { OpOutcome, OpRequest, WorkerContext, WorkloadClient } from "../workload.ts";
import { keyPath, MULTI_KEYS, MULTI_ROOT, type MicroOp } from "./index.ts";

const decode = (data: Buffer | null): number | null =>
  data && data.length > 0 ? Number(data.toString("utf8")) : null;
const encode = (v: number): Buffer => Buffer.from(String(v), "utf8");

/** The txn's micro-ops, or null when the op is not one this workload makes. */
function microOps(op: OpRequest): MicroOp[] | null {
  if (op.f !== "txn" || !Array.isArray(op.value)) return null;
  const ok = (op.value as unknown[]).every(
    (m) =>
      Array.isArray(m) &&
      (m[0] === "r" || (m[0] === "w" && typeof m[2] === "number")) &&
      (MULTI_KEYS as readonly unknown[]).includes(m[1]),
  );
  return ok ? (op.value as MicroOp[]) : null;
}

/** atomic: reads, then one multi that checks them and writes; separate: each micro-op its own call. */
export default function multiClient(variant: string): WorkloadClient {
  const atomic = variant === "atomic";

  async function runAtomic(ctx: WorkerContext, txn: MicroOp[]): Promise<OpOutcome> {
    const zk = ctx.zk;
    const read = new Map<string, { value: number | null; version: number }>();
    try {
      for (const [f, key] of txn) {
        if (f !== "r") continue;
        const { data, stat } = await zk.getData(keyPath(key));
        read.set(key, { value: decode(data), version: stat.version });
      }
    } catch (err) {
      return { type: "fail", error: classify(err, "read").error }; // nothing written yet
    }
    const ops: MultiOp[] = [];
    for (const [f, key, v] of txn) {
      if (f === "r") ops.push({ op: "check", path: keyPath(key), version: read.get(key)!.version });
      else ops.push({ op: "setData", path: keyPath(key), data: encode(v!), version: -1 });
    }
    try {
      await zk.multi(ops);
    } catch (err) {
      // A refused check (BADVERSION: a read is stale) means nothing committed: fail. A lost reply may
      // hide a commit: info — unless the multi only checked, which changes nothing either way.
      const writes = txn.some(([f]) => f === "w");
      const { type, error } = classify(err, writes ? "write" : "read");
      return { type, error };
    }
    return { type: "ok", value: txn.map(([f, key, v]) => [f, key, f === "r" ? read.get(key)!.value : v]) };
  }

  async function runSeparate(ctx: WorkerContext, txn: MicroOp[]): Promise<OpOutcome> {
    const zk = ctx.zk;
    const done: MicroOp[] = [];
    let wrote = false;
    try {
      for (const [f, key, v] of txn) {
        if (f === "r") {
          const { data } = await zk.getData(keyPath(key));
          done.push(["r", key, decode(data)]);
        } else {
          wrote = true;
          await zk.setData(keyPath(key), encode(v!), -1);
          done.push(["w", key, v]);
        }
      }
    } catch (err) {
      // Before its first write nothing happened; after it, part of the txn may have.
      const { type, error } = classify(err, wrote ? "write" : "read");
      return { type, error };
    }
    return { type: "ok", value: done };
  }

  return {
    async setup(ctx) {
      for (const path of [MULTI_ROOT, ...MULTI_KEYS.map(keyPath)]) await ensurePath(ctx.zk, path);
    },
    async invoke(ctx, op) {
      const txn = microOps(op);
      if (!txn) return { type: "fail", error: `not a txn of [r|w key value] on ${MULTI_KEYS.join(", ")}` };
      if (ctx.zk.state === "expired" || ctx.zk.state === "closed") {
        try {
          await ctx.reconnect();
        } catch (err) {
          return { type: "fail", error: `reconnect: ${classify(err, "read").error}` }; // nothing was sent
        }
      }
      return atomic ? runAtomic(ctx, txn) : runSeparate(ctx, txn);
    },
  };
}
