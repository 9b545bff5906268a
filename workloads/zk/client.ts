/**
 * The one small ZooKeeper client interface every recipe is written against (DESIGN.md, "ZooKeeper client
 * drivers"). Two drivers implement it: drivers/native.ts (the `zookeeper` C binding, the default) and
 * drivers/pure-js.ts (`node-zookeeper-client`). Every call rejects with a ZkError (errors.ts); classify.ts
 * turns that into ok/fail/info.
 */

/** Which client library is behind a ZkClient. */
export type DriverName = "zookeeper" | "node-zookeeper-client";
/** Every driver name, for validation. */
export const DRIVER_NAMES: readonly DriverName[] = ["zookeeper", "node-zookeeper-client"];

export type CreateMode = "persistent" | "ephemeral" | "persistent_sequential" | "ephemeral_sequential";

/**
 * Connection and session state, the same on both drivers:
 * - `connected`: a session is established (first connect, and again after each reconnect);
 * - `disconnected`: the connection to the server is lost; the driver is reconnecting and the session may
 *   still be alive on the ensemble (or already expired there — only the next reconnect tells);
 * - `expired`: the ensemble expired the session. Terminal: ephemerals are gone, calls reject SESSIONEXPIRED;
 *   open a new client;
 * - `closed`: close() was called (or the library shut the session down for good). Terminal.
 */
export type ConnectionState = "connected" | "disconnected" | "expired" | "closed";

/** A node's metadata, normalized: zxids are exact 64-bit bigints, times are ms since the epoch. */
export interface Stat {
  /** Zxid of the transaction that created the node (a fencing token candidate). */
  readonly czxid: bigint;
  /** Zxid of the last data change. */
  readonly mzxid: bigint;
  /** Zxid of the last change to the children. */
  readonly pzxid: bigint;
  /** Data version (setData count). */
  readonly version: number;
  /** Children version. */
  readonly cversion: number;
  /** Owning session for an ephemeral node ("0x…"), null for a persistent one. */
  readonly ephemeralOwner: string | null;
  readonly dataLength: number;
  readonly numChildren: number;
  /** Creation time, ms since the epoch (server clock). */
  readonly ctime: number;
  /** Last modification time, ms since the epoch (server clock). */
  readonly mtime: number;
}

export type WatchEventType = "created" | "deleted" | "changed" | "child";

/** A node event delivered to a one-shot watch. Session events are not delivered to watches: see on("state"). */
export interface WatchEvent {
  readonly type: WatchEventType;
  readonly path: string;
}

/** A one-shot watch: called at most once, for the first node event after it was set. */
export type Watcher = (event: WatchEvent) => void;

/** One operation of a multi (transaction). `version` -1 (the default) matches any version. */
export type MultiOp =
  | { readonly op: "check"; readonly path: string; readonly version: number }
  | { readonly op: "create"; readonly path: string; readonly data: Buffer | null; readonly mode?: CreateMode }
  | { readonly op: "setData"; readonly path: string; readonly data: Buffer | null; readonly version?: number }
  | { readonly op: "delete"; readonly path: string; readonly version?: number };

/** The result of one operation of a committed multi, in the order of the ops. */
export type MultiResult =
  | { readonly op: "check" }
  | { readonly op: "create"; readonly path: string }
  | { readonly op: "setData"; readonly stat: Stat }
  | { readonly op: "delete" };

/** A server as the client reaches it (through its proxy): the address the connection goes to. */
export interface ServerAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * A zxid a reply told of, and which server sent it. Without `path`: the reply header's zxid, the last
 * transaction the serving server had applied; within a session it never goes back (ZooKeeper's session
 * guarantee: a server behind the session's last zxid refuses its reconnect). With `path`: the mzxid of that
 * node's Stat (a driver that does not expose the header); within a session it never goes back for that path.
 */
export interface ZxidObservation {
  readonly zxid: bigint;
  readonly path?: string;
  readonly server: ServerAddress | null;
}

/** What a driver can do beyond the common calls. Recipes that need more declare it (Workload.needsMulti). */
export interface Capabilities {
  /** Whether multi() exists; without it multi() rejects with UnsupportedError. */
  readonly multi: boolean;
}

/** Options common to both drivers. Times in milliseconds. */
export interface ZkClientOptions {
  /**
   * Client-side limit on every call, including connect (default 10 000). On expiry the call rejects with
   * ZkError TIMEOUT while the request may still complete on the ensemble: an indeterminate outcome.
   */
  opTimeoutMs?: number;
}

/**
 * A ZooKeeper session. Calls made before connect() or after close() reject with INVALIDSTATE; calls made
 * after expiry reject with SESSIONEXPIRED; neither reaches the server. A call in flight when the session
 * expires rejects with SESSIONEXPIRED. A client never re-issues a call by itself (no retries): a write that
 * ends in CONNECTIONLOSS, OPERATIONTIMEOUT, SESSIONEXPIRED or TIMEOUT may or may not have happened.
 */
export interface ZkClient {
  readonly driver: DriverName;
  readonly capabilities: Capabilities;
  /** The session id as hex, "0x…"; "0x0" until the first connect. Kept after expiry and close. */
  readonly sessionId: string;
  /** The last state reported, or "new" before connect() was called (and while it has not yet succeeded). */
  readonly state: ConnectionState | "new";
  /** The server the session's connection goes to now; null while not connected or when it cannot be told. */
  readonly server: ServerAddress | null;
  /** What the latest successful reply told of the server's zxid (a new object per reply); null before one. */
  readonly observed: ZxidObservation | null;

  /** Connect to the ensemble; resolves once a session is established. Call once. */
  connect(connectString: string, sessionTimeoutMs: number): Promise<void>;
  /** Create a node; resolves with the created path (with the sequence suffix for sequential modes). */
  create(path: string, data: Buffer | null, mode?: CreateMode): Promise<string>;
  /** Read a node's data (empty Buffer for no data) and stat; `watch` fires on its change or deletion. */
  getData(path: string, watch?: Watcher): Promise<{ data: Buffer; stat: Stat }>;
  /** Set a node's data if its version is `version` (-1, the default: any). */
  setData(path: string, data: Buffer | null, version?: number): Promise<Stat>;
  /** Delete a node if its version is `version` (-1, the default: any). */
  delete(path: string, version?: number): Promise<void>;
  /** The names (not paths) of a node's children, unordered; `watch` fires on a child change or deletion. */
  getChildren(path: string, watch?: Watcher): Promise<string[]>;
  /** getChildren plus the parent's stat (ZooKeeper's getChildren2): its pzxid is the zxid of the child set read. */
  getChildren2(path: string, watch?: Watcher): Promise<{ children: string[]; stat: Stat }>;
  /** The node's stat, or null if there is none; `watch` fires on its creation, change or deletion. */
  exists(path: string, watch?: Watcher): Promise<Stat | null>;
  /** Make the connected server catch up with the leader, so a following read sees every earlier commit. */
  sync(path: string): Promise<void>;
  /** All ops or none, atomically. Rejects with the first failing op's error; nothing of a failed multi applies. */
  multi(ops: readonly MultiOp[]): Promise<MultiResult[]>;
  /** Connection and session state changes (deduplicated; never the same state twice in a row). */
  on(event: "state", listener: (state: ConnectionState) => void): this;
  off(event: "state", listener: (state: ConnectionState) => void): this;
  /** End the session (its ephemerals go) and release the connection. Idempotent; emits "closed". */
  close(): Promise<void>;
}
