/**
 * Test fixture: a workload client that needs no ZooKeeper calls. `f: "ok"` answers ok; `f: "crash"` throws
 * from a library-style callback (an EventEmitter handler fired from a timer, uncaught) while the op waits
 * for it, as node-zookeeper-client did with CONNECTION_LOSS; `f: "crash-after"` answers ok, then throws
 * the same way between ops; `f: "exists"` asks the server whether /x exists.
 */
import { EventEmitter } from "node:events";
import type { WorkloadClientFactory } from "../../../workloads/workload.ts";

function throwFromCallback(): void {
  const lib = new EventEmitter();
  lib.on("reply", () => {
    throw new Error("Exception: CONNECTION_LOSS[-4] thrown from a library callback");
  });
  setTimeout(() => lib.emit("reply"), 20);
}

const client: WorkloadClientFactory = () => ({
  async invoke(ctx, op) {
    if (op.f === "crash") {
      throwFromCallback();
      return new Promise(() => undefined); // the reply never comes: the process dies first
    }
    if (op.f === "crash-after") throwFromCallback();
    if (op.f === "exists") return { type: "ok", value: (await ctx.zk.exists("/x")) !== null };
    return { type: "ok", value: op.value ?? null };
  },
});

export default client;
