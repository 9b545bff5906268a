/**
 * A client worker: its own OS process holding one ZooKeeper session, so a client pause is a real SIGSTOP
 * of a process that holds a session. It runs one op at a time and reports the invoke and completion times
 * taken right before the call and right after the reply; the harness writes the history.
 */
import { httpResourceClient } from "../resource/resource-client.ts";
import { outcomeOf } from "../../workloads/zk/classify.ts";
import { createClient, serversOf, type ServerAddress, type ZkClient } from "../../workloads/zk/index.ts";
import type { WorkerContext, WorkloadClient } from "../../workloads/workload.ts";
import { loadClientFactory } from "./client-module.ts";
import type { FromWorker, ToWorker, WorkerInit } from "./protocol.ts";

let init: WorkerInit;
let origin = 0n;
let client: WorkloadClient;
let zk: ZkClient | null = null;
let currentProcess = -1;
let expired = false;
/** Server port → node name, from the connect string and the node names in its order. */
let nodeByPort = new Map<number, string>();

const send = (m: FromWorker) => process.send?.(m);
const now = () => Number(process.hrtime.bigint() - origin);

async function openSession(): Promise<ZkClient> {
  const old = zk;
  zk = null;
  if (old) await old.close().catch(() => undefined);
  const next = await createClient(init.driver, {
    connectString: init.connectString,
    sessionTimeoutMs: init.sessionTimeoutMs,
    opTimeoutMs: init.opTimeoutMs,
  });
  expired = false;
  next.on("state", (s) => {
    if (s === "expired") expired = true;
  });
  zk = next;
  return next;
}

function context(): WorkerContext {
  return {
    get zk() {
      if (!zk) throw new Error("no session");
      return zk;
    },
    resource,
    slot: init.slot,
    process: currentProcess,
    variant: init.variant,
    options: init.options,
    connectString: init.connectString,
    sessionTimeoutMs: init.sessionTimeoutMs,
    driver: init.driver,
    now,
    reconnect: openSession,
  };
}

let resource: ReturnType<typeof httpResourceClient>;

async function onInit(m: WorkerInit): Promise<void> {
  init = m;
  origin = BigInt(m.origin);
  const servers = serversOf(m.connectString);
  nodeByPort = new Map(servers.flatMap((s, i) => (m.nodes?.[i] ? [[s.port, m.nodes[i]] as const] : [])));
  resource = httpResourceClient(m.resourceUrl);
  client = (await loadClientFactory(m.clientModule))(m.variant, m.options);
  await openSession();
  send({ type: "ready", session: zk!.sessionId });
}

const kindOf = (f: string): "read" | "write" => (init.reads.includes(f) ? "read" : "write");

async function onInvoke(id: number, proc: number, op: { f: string; value: unknown }): Promise<void> {
  currentProcess = proc;
  if (expired) {
    // A new session before the next op: the old one is gone for good.
    await openSession().catch(() => undefined);
  }
  const ctx = context();
  const before = zk?.observed ?? null;
  send({ type: "invoked", id, time: now() });
  const outcome = await outcomeOf(async () => {
    if (!zk) throw Object.assign(new Error("no session"), { code: "CONNECTIONLOSS" });
    return client.invoke(ctx, op);
  }, kindOf(op.f));
  const time = now();
  send({ type: "completed", id, time, outcome, session: zk?.sessionId ?? "", ...whereServed(before) });
}

/** Which server served the op and the zxid its last reply told of (a reply since `before`), if known. */
function whereServed(before: ZkClient["observed"]): { node?: string; zxid?: string; zxidPath?: string } {
  const seen = zk?.observed ?? null;
  const fresh = seen !== null && seen !== before ? seen : null;
  const node = nodeOf(fresh ? fresh.server : (zk?.server ?? null));
  return {
    ...(node ? { node } : {}),
    ...(fresh ? { zxid: `0x${fresh.zxid.toString(16)}` } : {}),
    ...(fresh?.path !== undefined ? { zxidPath: fresh.path } : {}),
  };
}

const nodeOf = (server: ServerAddress | null): string | undefined =>
  server ? nodeByPort.get(server.port) : undefined;

process.on("message", (m: ToWorker) => {
  const run = async () => {
    switch (m.type) {
      case "init":
        return onInit(m);
      case "setup":
        try {
          await client.setup?.(context());
          send({ type: "setup-done" });
        } catch (err) {
          send({ type: "setup-done", error: String(err instanceof Error ? err.message : err) });
        }
        return;
      case "invoke":
        return onInvoke(m.id, m.process, m.op);
      case "close":
        await client?.close?.(context()).catch(() => undefined);
        await zk?.close().catch(() => undefined);
        send({ type: "closed" });
        process.disconnect?.();
        return;
    }
  };
  run().catch((err) => send({ type: "fatal", error: String(err instanceof Error ? err.stack : err) }));
});

// The harness going away ends the worker: no orphaned sessions.
process.on("disconnect", () => process.exit(0));
