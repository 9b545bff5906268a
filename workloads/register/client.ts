import { ensurePath } from "../zk/ensure-path.ts";
import { ZkError } from "../zk/index.ts";
import type { OpOutcome, OpRequest, WorkerContext, WorkloadClient } from "../workload.ts";
import { REGISTER_PATH } from "./index.ts";

const decode = (data: Buffer | null): number | null =>
  data && data.length > 0 ? Number(data.toString("utf8")) : null;
const encode = (v: number): Buffer => Buffer.from(String(v), "utf8");

/** The register's client side; variant "sync" calls sync() before every read. */
export default function registerClient(variant: string): WorkloadClient {
  const syncReads = variant === "sync";
  return {
    async setup(ctx) {
      await ensurePath(ctx.zk, REGISTER_PATH);
    },
    async invoke(ctx: WorkerContext, op: OpRequest): Promise<OpOutcome> {
      switch (op.f) {
        case "read": {
          if (syncReads) await ctx.zk.sync(REGISTER_PATH);
          const { data } = await ctx.zk.getData(REGISTER_PATH);
          return { type: "ok", value: decode(data) };
        }
        case "write":
          await ctx.zk.setData(REGISTER_PATH, encode(op.value as number), -1);
          return { type: "ok", value: op.value };
        case "cas": {
          const [from, to] = op.value as [number, number];
          let current: { data: Buffer | null; stat: { version: number } };
          try {
            current = await ctx.zk.getData(REGISTER_PATH);
          } catch (err) {
            // Nothing was written yet: the cas certainly did not happen.
            return { type: "fail", error: err instanceof ZkError ? err.code : String(err) };
          }
          if (decode(current.data) !== from) return { type: "fail", error: "mismatch" };
          await ctx.zk.setData(REGISTER_PATH, encode(to), current.stat.version);
          return { type: "ok", value: op.value };
        }
        default:
          return { type: "fail", error: `unknown op ${op.f}` };
      }
    },
  };
}
