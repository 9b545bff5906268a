/**
 * Test helper: an in-memory ZooKeeper tree behind our ZkClient interface, with injected faults — a call that
 * is refused with CONNECTIONLOSS before it applies, or one that applies and then loses its reply (the case
 * seed 001 is about). Plus a WorkerContext over it and a tiny sequential driver that records a history.
 * Not a model of ZooKeeper's timing: every call completes at once, one session per client.
 */
import { EventEmitter } from "node:events";
import type { Op } from "../../harness/history/op.ts";
import { monotonicClock } from "../../harness/core/clock.ts";
import { ResourceServer } from "../../harness/resource/resource-server.ts";
import type { OpRequest, WorkerContext, WorkloadClient } from "../workload.ts";
import { classify, UnsupportedError, ZkError } from "../zk/index.ts";
import type { ConnectionState, CreateMode, Stat, ZkClient } from "../zk/index.ts";

interface Node {
  data: Buffer;
  version: number;
  czxid: bigint;
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

export class FakeTree {
  readonly nodes = new Map<string, Node>([
    ["/", { data: Buffer.alloc(0), version: 0, czxid: 0n, owner: null, nextSeq: 0 }],
  ]);
  zxid = 0n;
  sessions = 0;
  readonly faults: Fault[] = [];

  /** Queue a fault for the next matching call. */
  fail(f: Fault): this {
    this.faults.push(f);
    return this;
  }

  children(path: string): string[] {
    const pre = path === "/" ? "/" : `${path}/`;
    return [...this.nodes.keys()].filter(
      (p) => p !== path && p.startsWith(pre) && !p.slice(pre.length).includes("/"),
    );
  }

  dropSession(session: string): void {
    for (const [p, n] of this.nodes) if (n.owner === session) this.nodes.delete(p);
  }
}

const parentOf = (path: string): string => path.slice(0, path.lastIndexOf("/")) || "/";

export class FakeZk implements ZkClient {
  readonly driver = "zookeeper" as const;
  readonly capabilities = { multi: false };
  sessionId: string;
  state: ConnectionState | "new" = "connected";
  private readonly events = new EventEmitter();

  constructor(readonly tree: FakeTree) {
    this.sessionId = `0x${(++tree.sessions).toString(16)}`;
  }

  private async call<T>(op: string, path: string, apply: () => T): Promise<T> {
    if (this.state !== "connected")
      throw new ZkError(this.state === "expired" ? "SESSIONEXPIRED" : "INVALIDSTATE", null, op, path);
    const i = this.tree.faults.findIndex(
      (f) => f.op === op && (f.path === undefined || path.includes(f.path)),
    );
    const fault = i >= 0 ? this.tree.faults.splice(i, 1)[0] : undefined;
    if (fault?.lose === false) {
      await fault.meanwhile?.();
      return apply();
    }
    if (fault && !fault.applied) throw new ZkError("CONNECTIONLOSS", null, op, path);
    const result = apply();
    if (fault) {
      await fault.meanwhile?.();
      throw new ZkError("CONNECTIONLOSS", null, op, path);
    }
    return result;
  }

  private node(op: string, path: string): Node {
    const n = this.tree.nodes.get(path);
    if (!n) throw new ZkError("NONODE", null, op, path);
    return n;
  }

  private stat(n: Node): Stat {
    return {
      czxid: n.czxid,
      mzxid: n.czxid,
      pzxid: n.czxid,
      version: n.version,
      cversion: 0,
      ephemeralOwner: n.owner,
      dataLength: n.data.length,
      numChildren: 0,
      ctime: 0,
      mtime: 0,
    };
  }

  async connect(): Promise<void> {}

  create(path: string, data: Buffer | null, mode: CreateMode = "persistent"): Promise<string> {
    return this.call("create", path, () => {
      const parent = this.node("create", parentOf(path));
      const full = mode.endsWith("sequential")
        ? `${path}${String(parent.nextSeq++).padStart(10, "0")}`
        : path;
      if (this.tree.nodes.has(full)) throw new ZkError("NODEEXISTS", null, "create", full);
      this.tree.nodes.set(full, {
        data: data ?? Buffer.alloc(0),
        version: 0,
        czxid: ++this.tree.zxid,
        owner: mode.startsWith("ephemeral") ? this.sessionId : null,
        nextSeq: 0,
      });
      return full;
    });
  }

  getData(path: string): Promise<{ data: Buffer; stat: Stat }> {
    return this.call("getData", path, () => {
      const n = this.node("getData", path);
      return { data: n.data, stat: this.stat(n) };
    });
  }

  setData(path: string, data: Buffer | null, version = -1): Promise<Stat> {
    return this.call("setData", path, () => {
      const n = this.node("setData", path);
      if (version !== -1 && version !== n.version) throw new ZkError("BADVERSION", null, "setData", path);
      n.data = data ?? Buffer.alloc(0);
      n.version++;
      return this.stat(n);
    });
  }

  delete(path: string, version = -1): Promise<void> {
    return this.call("delete", path, () => {
      const n = this.node("delete", path);
      if (version !== -1 && version !== n.version) throw new ZkError("BADVERSION", null, "delete", path);
      if (this.tree.children(path).length > 0) throw new ZkError("NOTEMPTY", null, "delete", path);
      this.tree.nodes.delete(path);
    });
  }

  getChildren(path: string): Promise<string[]> {
    return this.call("getChildren", path, () => {
      this.node("getChildren", path);
      return this.tree.children(path).map((p) => p.slice(p.lastIndexOf("/") + 1));
    });
  }

  exists(path: string): Promise<Stat | null> {
    return this.call("exists", path, () => {
      const n = this.tree.nodes.get(path);
      return n ? this.stat(n) : null;
    });
  }

  sync(path: string): Promise<void> {
    return this.call("sync", path, () => undefined);
  }

  multi(): Promise<never> {
    return Promise.reject(new UnsupportedError("multi", "fake"));
  }

  on(_e: "state", l: (s: ConnectionState) => void): this {
    this.events.on("state", l);
    return this;
  }

  off(_e: "state", l: (s: ConnectionState) => void): this {
    this.events.off("state", l);
    return this;
  }

  /** The ensemble expires this session: its ephemerals go, calls reject SESSIONEXPIRED. */
  expire(): void {
    this.tree.dropSession(this.sessionId);
    this.state = "expired";
    this.events.emit("state", "expired");
  }

  async close(): Promise<void> {
    if (this.state === "connected") this.tree.dropSession(this.sessionId);
    this.state = "closed";
  }
}

/** A fake worker: a client slot with its own session on `tree`, the shared resource, and a history recorder. */
export class FakeWorker {
  zk: FakeZk;
  process: number;
  readonly ctx: WorkerContext;

  constructor(
    readonly tree: FakeTree,
    readonly slot: number,
    readonly resource: ResourceServer,
    variant: string,
    /** This worker's own client (each worker process has its own, with its own memory). */
    readonly client: WorkloadClient,
    options: Record<string, unknown> = { recoveryMs: 200 },
  ) {
    this.zk = new FakeZk(tree);
    this.process = slot;
    const zk = (): FakeZk => this.zk;
    const proc = (): number => this.process;
    this.ctx = {
      get zk() {
        return zk();
      },
      resource: { access: async (r) => resource.access(r) },
      slot,
      get process() {
        return proc();
      },
      variant,
      options,
      reconnect: async () => (this.zk = new FakeZk(tree)),
    };
  }
}

/** A fresh resource server (not listening: tests call access() directly). */
export const fakeResource = (): ResourceServer =>
  new ResourceServer({ fenced: false, clock: monotonicClock() });

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
    let outcome;
    try {
      outcome = await w.client.invoke(w.ctx, op);
    } catch (err) {
      const c = classify(err, reads.has(op.f) ? "read" : "write");
      outcome = { type: c.type, error: c.error };
    }
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
