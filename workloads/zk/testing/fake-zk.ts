/**
 * Test helper for the recipes (lock, election, queue, exporter): an in-memory ZooKeeper tree behind our
 * ZkClient interface — sequential and ephemeral nodes, one-shot watches, multi, session state events — with
 * the faults the seeds are about:
 * - a session the ensemble expires while its client notices nothing yet (a paused process,
 *   `expireSilently`), or one whose expiry the client is told about (`expire`);
 * - a Disconnected/reconnected blip (`disconnect`, `reconnect`);
 * - a call refused with CONNECTIONLOSS before it applies, or one that applies and then loses its reply,
 *   optionally with another client acting meanwhile (`FakeEnsemble.fail`).
 * Plus a WorkerContext over it and a tiny sequential driver that records a history. Not a model of
 * ZooKeeper's timing: every call completes at once (though never synchronously).
 */
import { EventEmitter } from "node:events";
import { monotonicClock } from "../../../kernel/clock.ts";
import type { Op } from "../../../kernel/op.ts";
import type { ResourceClient } from "../../../kernel/resource.ts";
import { GuardedResource } from "../../guarded-resource.ts";
import type { OpRequest, WorkerContext, WorkloadClient } from "../../workload.ts";
import { outcomeOf } from "../classify.ts";
import type {
  ConnectionState,
  CreateMode,
  MultiOp,
  MultiResult,
  Stat,
  WatchEvent,
  Watcher,
  ZkClient,
  ZxidObservation,
} from "../client.ts";
import { UnsupportedError, ZkError } from "../errors.ts";

interface Node {
  data: Buffer;
  version: number;
  czxid: bigint;
  /** Zxid of the last change (absent: the create). */
  mzxid?: bigint;
  /** Zxid of the last child created or deleted (absent: the create). */
  pzxid?: bigint;
  owner: string | null;
  nextSeq: number;
}

export interface Fault {
  /** The call to break ("create", "delete", "getData", …), optionally only for paths containing `path`. */
  op: string;
  path?: string;
  /** true: the call applies and then its reply is lost; false: refused before it applies. */
  applied: boolean;
  /** Run between the apply and the lost reply (another client acting meanwhile). */
  meanwhile?: () => Promise<void>;
  /** false: no fault at all, only `meanwhile` right before the call applies (a race). Default true. */
  lose?: boolean;
}

export class FakeEnsemble {
  readonly nodes = new Map<string, Node>([
    ["/", { data: Buffer.alloc(0), version: 0, czxid: 0n, owner: null, nextSeq: 0 }],
  ]);
  zxid = 0n;
  private sessions = 0;
  /** Sessions the ensemble has expired. */
  readonly dead = new Set<string>();
  /** Watches per path (exists / getData / getChildren on the parent), each one-shot. */
  readonly watches = new Map<string, Set<Watcher>>();
  readonly childWatches = new Map<string, Set<Watcher>>();
  /** Faults queued for the next matching calls, each used once. */
  readonly faults: Fault[] = [];

  /** Queue a fault for the next matching call. */
  fail(f: Fault): this {
    this.faults.push(f);
    return this;
  }

  /** The first queued fault matching this call, removed from the queue. */
  takeFault(op: string, path: string): Fault | undefined {
    const i = this.faults.findIndex((f) => f.op === op && (f.path === undefined || path.includes(f.path)));
    return i >= 0 ? this.faults.splice(i, 1)[0] : undefined;
  }

  newSession(): string {
    return `0x${(++this.sessions).toString(16)}`;
  }

  /** The names (not paths) of a node's children. */
  children(path: string): string[] {
    const pre = path === "/" ? "/" : `${path}/`;
    return [...this.nodes.keys()]
      .filter((p) => p !== path && p.startsWith(pre) && !p.slice(pre.length).includes("/"))
      .map((p) => p.slice(pre.length));
  }

  fire(path: string, type: WatchEvent["type"]): void {
    const ws = this.watches.get(path);
    this.watches.delete(path);
    for (const w of ws ?? []) queueMicrotask(() => w({ type, path }));
    if (type === "created" || type === "deleted") {
      const parent = parentOf(path);
      const cs = this.childWatches.get(parent);
      this.childWatches.delete(parent);
      for (const w of cs ?? []) queueMicrotask(() => w({ type: "child", path: parent }));
    }
  }

  remove(path: string): void {
    this.nodes.delete(path);
    const parent = this.nodes.get(parentOf(path));
    if (parent) parent.pzxid = this.zxid;
    this.fire(path, "deleted");
  }

  /** The ensemble expires a session: its ephemerals go (watchers of them fire). */
  kill(session: string): void {
    this.dead.add(session);
    for (const [p, n] of [...this.nodes]) if (n.owner === session) this.remove(p);
  }

  /** Watches currently set on `path`. */
  watchCount(path: string): number {
    return this.watches.get(path)?.size ?? 0;
  }
}

const parentOf = (path: string): string => path.slice(0, path.lastIndexOf("/")) || "/";

export class FakeZk implements ZkClient {
  readonly driver: ZkClient["driver"];
  readonly capabilities: { multi: boolean };
  readonly sessionId: string;
  state: ConnectionState | "new" = "connected";
  /** One in-memory server, no address. */
  readonly server = null;
  /** As a reply header: the ensemble's last zxid when the call applied. */
  observed: ZxidObservation | null = null;
  private readonly events = new EventEmitter();

  /** `multi`: whether the client has multi (as the node-zookeeper-client driver) or not (as the native one). */
  constructor(
    readonly ensemble: FakeEnsemble,
    multi = false,
  ) {
    this.sessionId = ensemble.newSession();
    this.capabilities = { multi };
    this.driver = multi ? "node-zookeeper-client" : "zookeeper";
  }

  private setState(s: ConnectionState): void {
    if (this.state === s) return;
    this.state = s;
    this.events.emit("state", s);
  }

  private async call<T>(op: string, path: string, apply: () => T): Promise<T> {
    await Promise.resolve(); // never synchronous, as a real call
    if (this.state === "closed") throw new ZkError("INVALIDSTATE", null, op, path);
    if (this.state === "disconnected") throw new ZkError("CONNECTIONLOSS", null, op, path);
    if (this.state === "expired" || this.ensemble.dead.has(this.sessionId)) {
      this.setState("expired"); // the client learns of the expiry when it next talks to the ensemble
      throw new ZkError("SESSIONEXPIRED", null, op, path);
    }
    const fault = this.ensemble.takeFault(op, path);
    if (fault?.lose === false) {
      await fault.meanwhile?.();
      return this.observe(apply());
    }
    if (fault && !fault.applied) throw new ZkError("CONNECTIONLOSS", null, op, path);
    const result = apply();
    if (fault) {
      await fault.meanwhile?.();
      throw new ZkError("CONNECTIONLOSS", null, op, path);
    }
    return this.observe(result);
  }

  private observe<T>(result: T): T {
    this.observed = { zxid: this.ensemble.zxid, server: null };
    return result;
  }

  private node(op: string, path: string): Node {
    const n = this.ensemble.nodes.get(path);
    if (!n) throw new ZkError("NONODE", null, op, path);
    return n;
  }

  private stat(n: Node): Stat {
    return {
      czxid: n.czxid,
      mzxid: n.mzxid ?? n.czxid,
      pzxid: n.pzxid ?? n.czxid,
      version: n.version,
      cversion: 0,
      ephemeralOwner: n.owner,
      dataLength: n.data.length,
      numChildren: 0,
      ctime: 0,
      mtime: 0,
    };
  }

  private watch(path: string, w: Watcher | undefined, children = false): void {
    if (!w) return;
    const m = children ? this.ensemble.childWatches : this.ensemble.watches;
    const s = m.get(path) ?? new Set<Watcher>();
    // A session's watches die with it (expired or closed), as on a real ensemble.
    s.add((e) => {
      if (!this.ensemble.dead.has(this.sessionId) && this.state !== "closed") w(e);
    });
    m.set(path, s);
  }

  async connect(): Promise<void> {}

  private createNow(path: string, data: Buffer | null, mode: CreateMode): string {
    const parent = this.node("create", parentOf(path));
    const full = mode.endsWith("sequential") ? `${path}${String(parent.nextSeq++).padStart(10, "0")}` : path;
    if (this.ensemble.nodes.has(full)) throw new ZkError("NODEEXISTS", null, "create", full);
    this.ensemble.nodes.set(full, {
      data: data ?? Buffer.alloc(0),
      version: 0,
      czxid: ++this.ensemble.zxid,
      owner: mode.startsWith("ephemeral") ? this.sessionId : null,
      nextSeq: 0,
    });
    parent.pzxid = this.ensemble.zxid;
    this.ensemble.fire(full, "created");
    return full;
  }

  private setDataNow(path: string, data: Buffer | null, version: number): Stat {
    const n = this.node("setData", path);
    if (version !== -1 && version !== n.version) throw new ZkError("BADVERSION", null, "setData", path);
    n.data = data ?? Buffer.alloc(0);
    n.version++;
    n.mzxid = ++this.ensemble.zxid;
    this.ensemble.fire(path, "changed");
    return this.stat(n);
  }

  private deleteNow(path: string, version: number): void {
    const n = this.node("delete", path);
    if (version !== -1 && version !== n.version) throw new ZkError("BADVERSION", null, "delete", path);
    if (this.ensemble.children(path).length > 0) throw new ZkError("NOTEMPTY", null, "delete", path);
    this.ensemble.zxid++;
    this.ensemble.remove(path);
  }

  create(path: string, data: Buffer | null, mode: CreateMode = "persistent"): Promise<string> {
    return this.call("create", path, () => this.createNow(path, data, mode));
  }

  getData(path: string, watch?: Watcher): Promise<{ data: Buffer; stat: Stat }> {
    return this.call("getData", path, () => {
      const n = this.node("getData", path);
      this.watch(path, watch);
      return { data: n.data, stat: this.stat(n) };
    });
  }

  setData(path: string, data: Buffer | null, version = -1): Promise<Stat> {
    return this.call("setData", path, () => this.setDataNow(path, data, version));
  }

  delete(path: string, version = -1): Promise<void> {
    return this.call("delete", path, () => this.deleteNow(path, version));
  }

  getChildren(path: string, watch?: Watcher): Promise<string[]> {
    return this.call("getChildren", path, () => {
      this.node("getChildren", path);
      this.watch(path, watch, true);
      return this.ensemble.children(path);
    });
  }

  getChildren2(path: string, watch?: Watcher): Promise<{ children: string[]; stat: Stat }> {
    return this.call("getChildren", path, () => {
      const n = this.node("getChildren", path);
      this.watch(path, watch, true);
      return { children: this.ensemble.children(path), stat: this.stat(n) };
    });
  }

  exists(path: string, watch?: Watcher): Promise<Stat | null> {
    return this.call("exists", path, () => {
      this.watch(path, watch);
      const n = this.ensemble.nodes.get(path);
      return n ? this.stat(n) : null;
    });
  }

  sync(path: string): Promise<void> {
    return this.call("sync", path, () => undefined);
  }

  multi(ops: readonly MultiOp[]): Promise<MultiResult[]> {
    if (!this.capabilities.multi) return Promise.reject(new UnsupportedError("multi", "fake"));
    return this.call("multi", ops[0]?.path ?? "/", () => {
      // Validate everything first: all or nothing (enough for check + one write).
      for (const o of ops) {
        if (o.op === "check" || o.op === "setData" || o.op === "delete") {
          const n = this.node(o.op, o.path);
          const v = o.version ?? -1;
          if (v !== -1 && v !== n.version) throw new ZkError("BADVERSION", null, o.op, o.path);
        }
      }
      return ops.map((o): MultiResult => {
        switch (o.op) {
          case "check":
            return { op: "check" };
          case "create":
            return { op: "create", path: this.createNow(o.path, o.data, o.mode ?? "persistent") };
          case "setData":
            return { op: "setData", stat: this.setDataNow(o.path, o.data, o.version ?? -1) };
          case "delete":
            this.deleteNow(o.path, o.version ?? -1);
            return { op: "delete" };
        }
      });
    });
  }

  on(_e: "state", l: (s: ConnectionState) => void): this {
    this.events.on("state", l);
    return this;
  }

  off(_e: "state", l: (s: ConnectionState) => void): this {
    this.events.off("state", l);
    return this;
  }

  /** The ensemble expires this session while the client notices nothing (a paused process). */
  expireSilently(): void {
    this.ensemble.kill(this.sessionId);
  }

  /** The ensemble expires this session (its ephemerals go) and the client is told at once. */
  expire(): void {
    this.ensemble.kill(this.sessionId);
    this.setState("expired");
  }

  /** The connection drops (Disconnected); the session lives on. */
  disconnect(): void {
    this.setState("disconnected");
  }

  /** The connection comes back with the same session (or the client learns it expired meanwhile). */
  reconnect(): void {
    this.setState(this.ensemble.dead.has(this.sessionId) ? "expired" : "connected");
  }

  async close(): Promise<void> {
    if (this.state === "connected") this.ensemble.kill(this.sessionId);
    this.setState("closed");
  }
}

export interface FakeWorkerOptions {
  /** Whether the worker's sessions have multi. Default false. */
  readonly multi?: boolean;
  /** The context's options. Default: a short recovery budget (`recoveryMs` 200). */
  readonly options?: Record<string, unknown>;
  /** The context's clock, ns (default: since the worker was made). */
  readonly now?: () => number;
}

/**
 * A fake worker: a client slot with its current session on `ensemble` (replaced by `reconnect`), a shared
 * resource, and its own workload client (each worker process has its own, with its own memory).
 */
export class FakeWorker {
  zk: FakeZk;
  process: number;
  readonly ctx: WorkerContext;

  constructor(
    readonly ensemble: FakeEnsemble,
    readonly slot: number,
    resource: ResourceClient,
    variant: string,
    readonly client: WorkloadClient,
    { multi = false, options = { recoveryMs: 200 }, now }: FakeWorkerOptions = {},
  ) {
    this.zk = new FakeZk(ensemble, multi);
    this.process = slot;
    const zk = (): FakeZk => this.zk;
    const proc = (): number => this.process;
    const reconnect = async (): Promise<FakeZk> => (this.zk = new FakeZk(ensemble, multi));
    const started = process.hrtime.bigint();
    this.ctx = {
      now: now ?? (() => Number(process.hrtime.bigint() - started)),
      get zk() {
        return zk();
      },
      resource,
      slot,
      get process() {
        return proc();
      },
      variant,
      options,
      connectString: "fake:2181",
      sessionTimeoutMs: 4000,
      driver: this.zk.driver,
      reconnect,
    };
  }
}

/** The guarded resource in memory (tests call access() directly), optionally fenced. */
export const fakeResourceServer = (fenced = false): GuardedResource =>
  new GuardedResource({ fenced, clock: monotonicClock() });

/** A ResourceClient over a server, with a hook run right after an access is applied (another client acts meanwhile). */
export function resourceClient(
  server: GuardedResource,
  after?: (req: Parameters<ResourceClient["access"]>[0]) => Promise<void>,
): ResourceClient {
  return {
    async access(req) {
      const reply = server.access(req);
      await after?.(req);
      return reply;
    },
  };
}

/** Records ops of several fake workers into one history, as the runner does (info retires the process). */
export class Recorder {
  readonly history: Op[] = [];
  constructor(private readonly clients: number) {}

  async run(w: FakeWorker, op: OpRequest, reads: ReadonlySet<string> = new Set()): Promise<Op> {
    const process = w.process;
    this.history.push({
      index: this.history.length,
      time: this.history.length,
      type: "invoke",
      process,
      f: op.f,
      value: op.value,
    });
    const outcome = await outcomeOf(() => w.client.invoke(w.ctx, op), reads.has(op.f) ? "read" : "write");
    const done: Op = {
      index: this.history.length,
      time: this.history.length,
      type: outcome.type,
      process,
      f: op.f,
      value: outcome.value ?? (outcome.type === "ok" ? null : op.value),
      ...(outcome.error ? { error: outcome.error } : {}),
    };
    this.history.push(done);
    if (outcome.type === "info") w.process += this.clients;
    return done;
  }
}
