/**
 * The default driver: `zookeeper`, the binding of ZooKeeper's own C client (single-threaded, on libuv).
 * It has no multi. Its promise API rejects with `new Error(\`${rc} ${error}\`)`, or, when the call is refused
 * before it is sent (handle closed, bad arguments), with `fn: "a_get" args: "…" result: "ZINVALIDSTATE -9"`;
 * fromNativeError maps both against the constants the package exports.
 *
 * Behaviour worth knowing under faults (seen against ZooKeeper 3.8):
 * - the C client notices a silent server after 2/3 of the session timeout, fails the calls in flight with
 *   OPERATIONTIMEOUT and reports "connecting" (our `disconnected`), then reconnects on its own;
 * - it learns of an expiry only when it reconnects; the binding then closes the handle itself (our
 *   `expired`), and after that any call on the handle would be unsafe (the binding's README warns of
 *   segfaults), so the base class stops all calls there;
 * - the binding also closes the handle *as expired* after more than `response_counter_limit` (default 10)
 *   consecutive wake-ups that read no complete reply — a client-side verdict, the session may still be
 *   alive on the ensemble. Slow, trickling links (a bandwidth or slicer toxic) can cause it.
 */
import { createRequire } from "node:module";
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
import { buildCodeTable, codeFromTable, UnsupportedError, ZkError, type ZkErrorCode } from "../errors.ts";
import { DriverBase, hexId } from "./base.ts";
import { serversOf } from "../connect-string.ts";
import { connectedPeer } from "./socket-peer.ts";

/** The subset of the binding's stat object we read. */
interface NativeStat {
  czxid: number;
  mzxid: number;
  pzxid: number;
  version: number;
  cversion: number;
  ephemeralOwner: string;
  dataLength: number;
  numChildren: number;
  ctime: Date;
  mtime: Date;
}

type NativeWatchCb = (type: number, state: number, path: string) => void;

/** The subset of the binding's promise API we use (lib/zk_promise.js). */
interface NativeZooKeeper {
  readonly client_id: string;
  init(config: Record<string, unknown>): NativeZooKeeper;
  close(): void;
  on(event: "connect" | "connecting", cb: () => void): void;
  on(event: "close", cb: (self: unknown, code: number) => void): void;
  create(path: string, data: Buffer, flags: number): Promise<string>;
  get(path: string, watch: boolean): Promise<[NativeStat, Buffer | null]>;
  w_get(path: string, watchCb: NativeWatchCb): Promise<[NativeStat, Buffer | null]>;
  set(path: string, data: Buffer, version: number): Promise<NativeStat>;
  delete_(path: string, version: number): Promise<void>;
  get_children(path: string, watch: boolean): Promise<string[]>;
  w_get_children(path: string, watchCb: NativeWatchCb): Promise<string[]>;
  get_children2(path: string, watch: boolean): Promise<[string[], NativeStat]>;
  w_get_children2(path: string, watchCb: NativeWatchCb): Promise<[string[], NativeStat]>;
  exists(path: string, watch: boolean): Promise<NativeStat>;
  w_exists(path: string, watchCb: NativeWatchCb): Promise<NativeStat>;
  sync(path: string): Promise<unknown>;
}

interface NativeModule {
  new (config: Record<string, unknown>): NativeZooKeeper;
  readonly constants: Readonly<Record<string, number>>;
}

const require = createRequire(import.meta.url);
let loaded: NativeModule | undefined;
/** The binding, loaded on first use (so the pure-JS driver never loads the native module). */
function lib(): NativeModule {
  loaded ??= require("zookeeper") as NativeModule;
  return loaded;
}
/** The binding's constants (ZNONODE, ZOO_EPHEMERAL, ZOO_CHANGED_EVENT, …). */
export const nativeConstants = (): Readonly<Record<string, number>> => lib().constants;

/** `zoo_set_debug_level(0)` switches the C client's log (and the binding's) off; its levels start at 1. */
const LOG_OFF = 0;

export type NativeLogLevel = "off" | "error" | "warn" | "info" | "debug";

export interface NativeDriverOptions extends ZkClientOptions {
  /** The C client's log level, written straight to stderr, process-wide (default "off"). */
  logLevel?: NativeLogLevel;
}

// ---- the one error mapping for this library -------------------------------------------------------------

let table: ReadonlyMap<number, ZkErrorCode> | undefined;
function nativeTable(): ReadonlyMap<number, ZkErrorCode> {
  table ??= buildCodeTable(lib().constants, {
    ZNONODE: "NONODE",
    ZNODEEXISTS: "NODEEXISTS",
    ZBADVERSION: "BADVERSION",
    ZNOTEMPTY: "NOTEMPTY",
    ZCONNECTIONLOSS: "CONNECTIONLOSS",
    ZOPERATIONTIMEOUT: "OPERATIONTIMEOUT",
    ZSESSIONEXPIRED: "SESSIONEXPIRED",
    ZSESSIONMOVED: "SESSIONMOVED",
    ZNOAUTH: "NOAUTH",
    ZINVALIDSTATE: "INVALIDSTATE",
    ZUNIMPLEMENTED: "UNIMPLEMENTED",
  });
  return table;
}

/** `-101 no node` (from a completion) or `fn: "…" args: "…" result: "ZNONODE -101"` (refused before sending). */
const COMPLETION_RC = /^(-?\d+)(?:\s|$)/;
const REFUSED_RC = /result: "\S+ (-?\d+)"\s*$/;

/** Map whatever the `zookeeper` package rejected with to a ZkError. The only place its codes are read. */
export function fromNativeError(err: unknown, op: string, path?: string): ZkError {
  if (err instanceof ZkError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const m = COMPLETION_RC.exec(message) ?? REFUSED_RC.exec(message);
  if (!m) return new ZkError("OTHER", null, op, path, message);
  const rc = Number(m[1]);
  return new ZkError(codeFromTable(rc, nativeTable()), rc, op, path, message);
}

// ---- conversions ------------------------------------------------------------------------------------------

function toStat(s: NativeStat): Stat {
  return {
    // The binding hands 64-bit zxids over as doubles; exact below 2^53 (epoch < 2^21), i.e. always in practice.
    czxid: BigInt(s.czxid),
    mzxid: BigInt(s.mzxid),
    pzxid: BigInt(s.pzxid),
    version: s.version,
    cversion: s.cversion,
    ephemeralOwner: hexId(BigInt(`0x${s.ephemeralOwner}`), true),
    dataLength: s.dataLength,
    numChildren: s.numChildren,
    ctime: s.ctime.getTime(),
    mtime: s.mtime.getTime(),
  };
}

function createFlags(mode: CreateMode): number {
  const c = lib().constants;
  const flag = {
    persistent: c.ZOO_PERSISTENT,
    ephemeral: c.ZOO_EPHEMERAL,
    persistent_sequential: c.ZOO_PERSISTENT_SEQUENTIAL,
    ephemeral_sequential: c.ZOO_EPHEMERAL_SEQUENTIAL,
  }[mode];
  if (flag === undefined) throw new RangeError(`unknown create mode ${mode}`);
  return flag;
}

function logLevel(level: NativeLogLevel): number {
  const c = lib().constants;
  const n = {
    off: LOG_OFF,
    error: c.ZOO_LOG_LEVEL_ERROR,
    warn: c.ZOO_LOG_LEVEL_WARN,
    info: c.ZOO_LOG_LEVEL_INFO,
    debug: c.ZOO_LOG_LEVEL_DEBUG,
  }[level];
  if (n === undefined) throw new RangeError(`unknown log level ${level}`);
  return n;
}

/** A binding watch callback → our one-shot watcher; session events (type ZOO_SESSION_EVENT) are ignored. */
function watchCallback(w: Watcher): NativeWatchCb {
  const c = lib().constants;
  const types = new Map<number | undefined, WatchEventType>([
    [c.ZOO_CREATED_EVENT, "created"],
    [c.ZOO_DELETED_EVENT, "deleted"],
    [c.ZOO_CHANGED_EVENT, "changed"],
    [c.ZOO_CHILD_EVENT, "child"],
  ]);
  return (type, _state, path) => {
    const t = types.get(type);
    if (t) w({ type: t, path });
  };
}

// ---- the driver -------------------------------------------------------------------------------------------

export class NativeDriver extends DriverBase {
  readonly driver = "zookeeper" as const;
  readonly capabilities: Capabilities = { multi: false };
  private zk: NativeZooKeeper | null = null;
  private readonly logLevel: NativeLogLevel;
  private servers: ServerAddress[] = [];
  /** The connected server, looked up once per connection (undefined: not yet). */
  private peer: ServerAddress | null | undefined;

  constructor(opts: NativeDriverOptions = {}) {
    super(opts);
    this.logLevel = opts.logLevel ?? "off";
  }

  protected toZkError(err: unknown, op: string, path?: string): ZkError {
    return fromNativeError(err, op, path);
  }

  /** The C client does not say which server it picked: this process's socket table does (socket-peer.ts). */
  get server(): ServerAddress | null {
    if (this.state !== "connected") return null;
    if (this.peer === undefined) this.peer = connectedPeer(this.servers);
    return this.peer;
  }

  /** No reply header here: the Stat's mzxid, comparable within a session for the same path. */
  protected observation(op: string, path: string | undefined, result: unknown): ZxidObservation | null {
    const stat =
      op === "getData"
        ? (result as { stat: Stat }).stat
        : op === "setData" || op === "exists"
          ? result
          : null;
    if (!stat || path === undefined) return null;
    return { zxid: (stat as Stat).mzxid, path, server: this.server };
  }

  protected open(connectString: string, sessionTimeoutMs: number): void {
    const c = lib().constants;
    this.servers = serversOf(connectString);
    const zk = new (lib())({
      connect: connectString,
      timeout: sessionTimeoutMs,
      debug_level: logLevel(this.logLevel),
      host_order_deterministic: false,
    });
    zk.on("connect", () => {
      this.peer = undefined;
      this.session = BigInt(`0x${zk.client_id}`);
      this.setState("connected");
    });
    zk.on("connecting", () => {
      this.peer = undefined;
      if (this.state === "connected") this.setState("disconnected");
    });
    zk.on("close", (_self, code) => {
      // After "close" the handle is gone: never call into it again.
      if (this.zk === zk) this.zk = null;
      this.setState(code === c.ZOO_EXPIRED_SESSION_STATE ? "expired" : "closed");
    });
    this.zk = zk;
    zk.init({});
  }

  protected async shutdown(): Promise<void> {
    const zk = this.zk;
    this.zk = null;
    // close() is synchronous: it sends closeSession if connected and emits "close" before returning.
    zk?.close();
  }

  private handle(op: string, path?: string): NativeZooKeeper {
    if (!this.zk) throw new ZkError("INVALIDSTATE", null, op, path, "no open handle");
    return this.zk;
  }

  protected doCreate(path: string, data: Buffer, mode: CreateMode): Promise<string> {
    return this.handle("create", path).create(path, data, createFlags(mode));
  }

  protected async doGetData(path: string, watch: Watcher | undefined): Promise<{ data: Buffer; stat: Stat }> {
    const zk = this.handle("getData", path);
    const [stat, data] = watch ? await zk.w_get(path, watchCallback(watch)) : await zk.get(path, false);
    return { data: data ?? Buffer.alloc(0), stat: toStat(stat) };
  }

  protected async doSetData(path: string, data: Buffer, version: number): Promise<Stat> {
    return toStat(await this.handle("setData", path).set(path, data, version));
  }

  protected async doDelete(path: string, version: number): Promise<void> {
    await this.handle("delete", path).delete_(path, version);
  }

  protected doGetChildren(path: string, watch: Watcher | undefined): Promise<string[]> {
    const zk = this.handle("getChildren", path);
    return watch ? zk.w_get_children(path, watchCallback(watch)) : zk.get_children(path, false);
  }

  protected async doGetChildren2(
    path: string,
    watch: Watcher | undefined,
  ): Promise<{ children: string[]; stat: Stat }> {
    const zk = this.handle("getChildren", path);
    const [children, stat] = watch
      ? await zk.w_get_children2(path, watchCallback(watch))
      : await zk.get_children2(path, false);
    return { children, stat: toStat(stat) };
  }

  protected async doExists(path: string, watch: Watcher | undefined): Promise<Stat | null> {
    const zk = this.handle("exists", path);
    try {
      // The C client keeps an exists watch set on a missing node, so it fires on creation.
      return toStat(watch ? await zk.w_exists(path, watchCallback(watch)) : await zk.exists(path, false));
    } catch (err) {
      const e = fromNativeError(err, "exists", path);
      if (e.code === "NONODE") return null;
      throw e;
    }
  }

  protected async doSync(path: string): Promise<void> {
    await this.handle("sync", path).sync(path);
  }

  protected doMulti(_ops: readonly MultiOp[]): Promise<MultiResult[]> {
    return Promise.reject(new UnsupportedError("multi", this.driver));
  }
}
