/**
 * The pure-JavaScript driver: `node-zookeeper-client` 1.1.x (ZooKeeper 3.4 protocol; works against 3.8).
 * It has multi (`transaction()`), and no sync. Its errors are `Exception` objects with a numeric `code`;
 * fromPureJsError maps them against the library's exported `Exception` constants.
 *
 * Gaps in the library this driver fills (seen against ZooKeeper 3.8; keep in mind for chaos results):
 * - No read timeout. The library only pings an idle socket, so a server that stops answering (docker
 *   pause, a blackholed link) leaves it "connected" forever, and a connect handshake to such a server
 *   never ends. A watchdog here does what the Java client does: no byte for 2/3 of the negotiated session
 *   timeout on a connected socket (or for sessionTimeout / servers during a handshake) → drop the socket;
 *   the library then fails the calls in flight with CONNECTION_LOSS and reconnects.
 * - No sync request (its reply parser drops the connection on op codes it does not know). sync() is a
 *   multi with one `check("/", -1)`: a write through the leader, so once its reply arrives the server has
 *   applied every earlier commit — the guarantee a following read needs — at the price of one zxid.
 * - `Transaction.check/setData/remove` turn version 0 into -1 ("any version"); the version is put back.
 * - Calls issued while disconnected wait in its queue until a reconnect, and are never failed if the
 *   session expires meanwhile; our base class times them out and fails them on expiry.
 * - Retries are off (`retries: 0`): the library would otherwise re-issue a call after CONNECTION_LOSS,
 *   e.g. a sequential create — the non-idempotent retry the queue workload is about.
 */
import { createRequire } from "node:module";
import type { Socket } from "node:net";
import type {
  Capabilities,
  CreateMode,
  MultiOp,
  MultiResult,
  ServerAddress,
  Stat,
  WatchEventType,
  Watcher,
  ZkClientOptions,
  ZxidObservation,
} from "../client.ts";
import { buildCodeTable, codeFromTable, ZkError, type ZkErrorCode } from "../errors.ts";
import { DriverBase, hexId } from "./base.ts";

// ---- the library's shapes (it ships no types) -----------------------------------------------------------

interface PjStat {
  czxid: Buffer;
  mzxid: Buffer;
  pzxid: Buffer;
  ctime: Buffer;
  mtime: Buffer;
  version: number;
  cversion: number;
  ephemeralOwner: Buffer;
  dataLength: number;
  numChildren: number;
}
interface PjException extends Error {
  code: number;
  getCode(): number;
}
interface PjEvent {
  type: number;
  path: string;
}
type Cb<A extends unknown[]> = (error: PjException | Error | null, ...result: A) => void;
interface PjTransactionOp {
  version?: number;
}
interface PjTransaction {
  ops: PjTransactionOp[];
  check(path: string, version: number): PjTransaction;
  create(path: string, data: Buffer | undefined, mode: number): PjTransaction;
  setData(path: string, data: Buffer | null, version: number): PjTransaction;
  remove(path: string, version: number): PjTransaction;
  commit(cb: Cb<[{ path?: string; stat?: PjStat }[]]>): void;
}
interface PjConnectionManager {
  socket?: Socket;
  /** The last reply header's zxid (8 bytes), updated before the reply's callback runs. */
  zxid: Buffer;
  state: number;
  connectTimeout: number;
  getSessionTimeout(): number;
  on(event: "state", cb: (state: number) => void): void;
}
interface PjState {
  readonly name: string;
  readonly code: number;
}
interface PjClient {
  readonly connectionManager: PjConnectionManager;
  connect(): void;
  close(): void;
  on(event: "state", cb: (s: PjState) => void): void;
  getState(): PjState;
  getSessionId(): Buffer;
  create(path: string, data: Buffer, mode: number, cb: Cb<[string]>): void;
  getData(path: string, watcher: ((e: PjEvent) => void) | undefined, cb: Cb<[Buffer | null, PjStat]>): void;
  setData(path: string, data: Buffer, version: number, cb: Cb<[PjStat]>): void;
  remove(path: string, version: number, cb: Cb<[]>): void;
  getChildren(path: string, watcher: ((e: PjEvent) => void) | undefined, cb: Cb<[string[], PjStat]>): void;
  exists(path: string, watcher: ((e: PjEvent) => void) | undefined, cb: Cb<[PjStat | null]>): void;
  transaction(): PjTransaction;
}
interface PjModule {
  createClient(connectString: string, options: Record<string, unknown>): PjClient;
  readonly Exception: Readonly<Record<string, unknown>> & {
    create(code: number, path?: string): PjException;
  };
  readonly CreateMode: Readonly<Record<string, number>>;
  readonly Event: Readonly<Record<string, unknown>>;
  readonly State: Readonly<Record<string, PjState>>;
}

const require = createRequire(import.meta.url);
const pj = require("node-zookeeper-client") as PjModule;
/** The connection manager's own states (internal module of the library; only CLOSED is read). */
const CM_STATES = (
  require("node-zookeeper-client/lib/ConnectionManager.js") as { STATES: Record<string, number> }
).STATES;

/** The library itself, for tests that build its raw errors the way it does (`Exception.create(code)`). */
export const pureJsLibrary = pj;

// ---- the one error mapping for this library -------------------------------------------------------------

const TABLE: ReadonlyMap<number, ZkErrorCode> = buildCodeTable(pj.Exception, {
  NO_NODE: "NONODE",
  NODE_EXISTS: "NODEEXISTS",
  BAD_VERSION: "BADVERSION",
  NOT_EMPTY: "NOTEMPTY",
  CONNECTION_LOSS: "CONNECTIONLOSS",
  OPERATION_TIMEOUT: "OPERATIONTIMEOUT",
  SESSION_EXPIRED: "SESSIONEXPIRED",
  NO_AUTH: "NOAUTH",
  UNIMPLEMENTED: "UNIMPLEMENTED",
  // The library knows no SESSIONMOVED or INVALIDSTATE codes.
});

const isPjException = (e: unknown): e is PjException =>
  e instanceof Error &&
  typeof (e as Partial<PjException>).code === "number" &&
  typeof (e as Partial<PjException>).getCode === "function";

/** Map whatever `node-zookeeper-client` failed with to a ZkError. The only place its codes are read. */
export function fromPureJsError(err: unknown, op: string, path?: string): ZkError {
  if (err instanceof ZkError) return err;
  if (isPjException(err)) return new ZkError(codeFromTable(err.code, TABLE), err.code, op, path, err.message);
  // Its argument checks throw AssertionErrors synchronously (bad path, data too large): never sent.
  return new ZkError("OTHER", null, op, path, err instanceof Error ? err.message : String(err));
}

// ---- conversions ------------------------------------------------------------------------------------------

const long = (b: Buffer): bigint => b.readBigInt64BE(0);

function toStat(s: PjStat): Stat {
  return {
    czxid: long(s.czxid),
    mzxid: long(s.mzxid),
    pzxid: long(s.pzxid),
    version: s.version,
    cversion: s.cversion,
    ephemeralOwner: hexId(long(s.ephemeralOwner), true),
    dataLength: s.dataLength,
    numChildren: s.numChildren,
    ctime: Number(long(s.ctime)),
    mtime: Number(long(s.mtime)),
  };
}

const CREATE_MODES: Readonly<Record<CreateMode, string>> = {
  persistent: "PERSISTENT",
  ephemeral: "EPHEMERAL",
  persistent_sequential: "PERSISTENT_SEQUENTIAL",
  ephemeral_sequential: "EPHEMERAL_SEQUENTIAL",
};

function createMode(mode: CreateMode): number {
  const m = pj.CreateMode[CREATE_MODES[mode]];
  if (m === undefined) throw new RangeError(`unknown create mode ${mode}`);
  return m;
}

const EVENT_TYPES = new Map<unknown, WatchEventType>([
  [pj.Event.NODE_CREATED, "created"],
  [pj.Event.NODE_DELETED, "deleted"],
  [pj.Event.NODE_DATA_CHANGED, "changed"],
  [pj.Event.NODE_CHILDREN_CHANGED, "child"],
]);

const watcherFn = (w: Watcher | undefined) =>
  w &&
  ((e: PjEvent) => {
    const type = EVENT_TYPES.get(e.type);
    if (type) w({ type, path: e.path });
  });

/** Callback style → promise. */
function promised<A extends unknown[]>(start: (cb: Cb<A>) => void): Promise<A> {
  return new Promise<A>((resolve, reject) =>
    start((err, ...result) => (err ? reject(err) : resolve(result))),
  );
}

// ---- the driver -------------------------------------------------------------------------------------------

export class PureJsDriver extends DriverBase {
  readonly driver = "node-zookeeper-client" as const;
  readonly capabilities: Capabilities = { multi: true };
  private client: PjClient | null = null;
  private libClosed = false;
  private onLibClosed: (() => void) | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private watched: Socket | null = null;
  private lastRead = 0;

  constructor(opts: ZkClientOptions = {}) {
    super(opts);
  }

  protected toZkError(err: unknown, op: string, path?: string): ZkError {
    return fromPureJsError(err, op, path);
  }

  get server(): ServerAddress | null {
    const sock = this.client?.connectionManager.socket;
    if (this.state !== "connected" || !sock || sock.destroyed || sock.remotePort === undefined) return null;
    return { host: (sock.remoteAddress ?? "").replace(/^::ffff:/, ""), port: sock.remotePort };
  }

  /**
   * The reply header's zxid, which the library keeps as its last seen zxid (and sends when it reconnects).
   * Read when the call settles: with one call in flight that is its reply's; with several, a later reply's
   * of the same connection, which is never smaller.
   */
  protected observation(): ZxidObservation | null {
    const zxid = this.client?.connectionManager.zxid;
    if (!zxid || zxid.length !== 8) return null;
    const z = long(zxid);
    return z > 0n ? { zxid: z, server: this.server } : null;
  }

  protected open(connectString: string, sessionTimeoutMs: number): void {
    const client = pj.createClient(connectString, { sessionTimeout: sessionTimeoutMs, retries: 0 });
    client.on("state", (s) => {
      if (s === pj.State.SYNC_CONNECTED || s === pj.State.CONNECTED_READ_ONLY) {
        this.session = client.getSessionId().readBigUInt64BE(0);
        this.setState("connected");
      } else if (s === pj.State.DISCONNECTED) {
        if (this.state === "connected") this.setState("disconnected");
      } else if (s === pj.State.EXPIRED) {
        this.setState("expired");
      } else if (s === pj.State.AUTH_FAILED) {
        this.setState("closed");
      }
    });
    client.connectionManager.on("state", (s) => {
      if (s !== CM_STATES.CLOSED) return;
      this.libClosed = true;
      this.stopWatchdog();
      this.onLibClosed?.();
    });
    this.client = client;
    const tick = Math.max(50, Math.min(500, Math.floor(sessionTimeoutMs / 10)));
    this.watchdog = setInterval(() => this.checkLiveness(), tick);
    this.watchdog.unref();
    client.connect();
  }

  /** Drop a socket that has been silent too long (see the file comment); the library then reconnects. */
  private checkLiveness(): void {
    const client = this.client;
    const sock = client?.connectionManager.socket;
    if (!client || !sock) return;
    const now = Date.now();
    if (sock !== this.watched) {
      this.watched = sock;
      this.lastRead = now;
      sock.on("data", () => {
        if (this.watched === sock) this.lastRead = Date.now();
      });
    }
    if (sock.destroyed) return;
    const cm = client.connectionManager;
    const connected =
      client.getState() === pj.State.SYNC_CONNECTED || client.getState() === pj.State.CONNECTED_READ_ONLY;
    const limit = connected ? Math.floor((cm.getSessionTimeout() * 2) / 3) : cm.connectTimeout;
    if (now - this.lastRead > limit) sock.destroy();
  }

  private stopWatchdog(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
  }

  protected async shutdown(): Promise<void> {
    const client = this.client;
    if (!client || this.libClosed) {
      this.stopWatchdog();
      return;
    }
    const closed = new Promise<void>((resolve) => (this.onLibClosed = resolve));
    // Sends closeSession when connected; the library then reaches CLOSED when the server hangs up.
    client.close();
    const capMs = Math.min(this.opTimeoutMs, 2_000);
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = await Promise.race([
      closed.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), capMs))),
    ]);
    clearTimeout(timer);
    if (gaveUp) {
      // Unreachable server: drop the socket; in CLOSING the library does not reconnect. The watchdog keeps
      // running until CLOSED in case a reconnect attempt was already under way.
      client.connectionManager.socket?.destroy();
    }
  }

  private lib(op: string, path?: string): PjClient {
    if (!this.client) throw new ZkError("INVALIDSTATE", null, op, path, "no client");
    return this.client;
  }

  protected async doCreate(path: string, data: Buffer, mode: CreateMode): Promise<string> {
    const c = this.lib("create", path);
    const [created] = await promised<[string]>((cb) => c.create(path, data, createMode(mode), cb));
    return created;
  }

  protected async doGetData(path: string, watch: Watcher | undefined): Promise<{ data: Buffer; stat: Stat }> {
    const c = this.lib("getData", path);
    const [data, stat] = await promised<[Buffer | null, PjStat]>((cb) =>
      c.getData(path, watcherFn(watch), cb),
    );
    return { data: data ?? Buffer.alloc(0), stat: toStat(stat) };
  }

  protected async doSetData(path: string, data: Buffer, version: number): Promise<Stat> {
    const c = this.lib("setData", path);
    const [stat] = await promised<[PjStat]>((cb) => c.setData(path, data, version, cb));
    return toStat(stat);
  }

  protected async doDelete(path: string, version: number): Promise<void> {
    const c = this.lib("delete", path);
    await promised<[]>((cb) => c.remove(path, version, cb));
  }

  protected async doGetChildren(path: string, watch: Watcher | undefined): Promise<string[]> {
    const c = this.lib("getChildren", path);
    const [children] = await promised<[string[], PjStat]>((cb) => c.getChildren(path, watcherFn(watch), cb));
    return children;
  }

  protected async doGetChildren2(
    path: string,
    watch: Watcher | undefined,
  ): Promise<{ children: string[]; stat: Stat }> {
    const c = this.lib("getChildren", path);
    const [children, stat] = await promised<[string[], PjStat]>((cb) =>
      c.getChildren(path, watcherFn(watch), cb),
    );
    return { children, stat: toStat(stat) };
  }

  protected async doExists(path: string, watch: Watcher | undefined): Promise<Stat | null> {
    const c = this.lib("exists", path);
    const [stat] = await promised<[PjStat | null]>((cb) => c.exists(path, watcherFn(watch), cb));
    return stat ? toStat(stat) : null;
  }

  protected async doSync(_path: string): Promise<void> {
    await this.doMulti([{ op: "check", path: "/", version: -1 }]);
  }

  protected async doMulti(ops: readonly MultiOp[]): Promise<MultiResult[]> {
    const tx = this.lib("multi").transaction();
    for (const o of ops) {
      switch (o.op) {
        case "check":
          tx.check(o.path, o.version);
          break;
        case "create":
          tx.create(o.path, o.data ?? undefined, createMode(o.mode ?? "persistent"));
          continue;
        case "setData":
          tx.setData(o.path, o.data ?? Buffer.alloc(0), o.version ?? -1);
          break;
        case "delete":
          tx.remove(o.path, o.version ?? -1);
          break;
      }
      // Undo the library's `version = version || -1`, which makes version 0 mean "any version".
      const last = tx.ops[tx.ops.length - 1];
      if (last) last.version = o.version ?? -1;
    }
    const [results] = await promised<[{ path?: string; stat?: PjStat }[]]>((cb) => tx.commit(cb));
    return ops.map((o, i): MultiResult => {
      const r = results[i];
      switch (o.op) {
        case "create":
          return { op: "create", path: r?.path ?? o.path };
        case "setData":
          if (!r?.stat) throw new ZkError("OTHER", null, "multi", o.path, "no stat in the setData result");
          return { op: "setData", stat: toStat(r.stat) };
        default:
          return { op: o.op };
      }
    });
  }
}
