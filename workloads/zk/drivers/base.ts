/**
 * What both drivers share: the client-side timeout on every call, the normalized state machine, and the
 * guards that keep calls away from a library whose session is over. A driver supplies the calls and one
 * function mapping its library's raw errors to ZkError.
 */
import { EventEmitter } from "node:events";
import type {
  Capabilities,
  ConnectionState,
  CreateMode,
  DriverName,
  MultiOp,
  MultiResult,
  ServerAddress,
  Stat,
  Watcher,
  ZkClient,
  ZkClientOptions,
  ZxidObservation,
} from "../client.ts";
import { UnsupportedError, ZkError, type ZkErrorCode } from "../errors.ts";

export const DEFAULT_OP_TIMEOUT_MS = 10_000;

/** Session id or ephemeral owner as "0x…" hex; `null` for 0 where `zeroIsNull`. */
export function hexId(id: bigint, zeroIsNull: true): string | null;
export function hexId(id: bigint, zeroIsNull?: false): string;
export function hexId(id: bigint, zeroIsNull = false): string | null {
  if (zeroIsNull && id === 0n) return null;
  return `0x${BigInt.asUintN(64, id).toString(16)}`;
}

export abstract class DriverBase implements ZkClient {
  abstract readonly driver: DriverName;
  abstract readonly capabilities: Capabilities;
  protected readonly opTimeoutMs: number;
  private current: ConnectionState | "new" = "new";
  private connectCalled = false;
  private closing: Promise<void> | null = null;
  /** Calls in flight: each entry rejects its call (first settlement wins). */
  private readonly inflight = new Set<(code: ZkErrorCode, detail: string) => void>();
  private readonly events = new EventEmitter();
  /** The current (or last) session id; drivers set it on each connect. */
  protected session = 0n;
  private lastObserved: ZxidObservation | null = null;

  constructor(opts: ZkClientOptions = {}) {
    this.opTimeoutMs = opts.opTimeoutMs ?? DEFAULT_OP_TIMEOUT_MS;
    if (!(this.opTimeoutMs > 0)) throw new RangeError(`opTimeoutMs must be > 0, got ${this.opTimeoutMs}`);
  }

  get state(): ConnectionState | "new" {
    return this.current;
  }

  get sessionId(): string {
    return hexId(this.session);
  }

  get observed(): ZxidObservation | null {
    return this.lastObserved;
  }

  abstract readonly server: ServerAddress | null;

  // ---- what a driver implements -------------------------------------------------------------------------

  /** Start connecting; the driver calls `setState("connected")` once the session is established. */
  protected abstract open(connectString: string, sessionTimeoutMs: number): void;
  /** Release the library's session and connection; resolve once it is done (or given up on). */
  protected abstract shutdown(): Promise<void>;
  /** The ONE place this driver's library errors become ZkErrors. */
  protected abstract toZkError(err: unknown, op: string, path?: string): ZkError;

  protected abstract doCreate(path: string, data: Buffer, mode: CreateMode): Promise<string>;
  protected abstract doGetData(
    path: string,
    watch: Watcher | undefined,
  ): Promise<{ data: Buffer; stat: Stat }>;
  protected abstract doSetData(path: string, data: Buffer, version: number): Promise<Stat>;
  protected abstract doDelete(path: string, version: number): Promise<void>;
  protected abstract doGetChildren(path: string, watch: Watcher | undefined): Promise<string[]>;
  protected abstract doGetChildren2(
    path: string,
    watch: Watcher | undefined,
  ): Promise<{ children: string[]; stat: Stat }>;
  protected abstract doExists(path: string, watch: Watcher | undefined): Promise<Stat | null>;
  protected abstract doSync(path: string): Promise<void>;
  protected abstract doMulti(ops: readonly MultiOp[]): Promise<MultiResult[]>;
  /** The zxid a successful reply of `op` told of (read right after it), or null if it told none. */
  protected abstract observation(
    op: string,
    path: string | undefined,
    result: unknown,
  ): ZxidObservation | null;

  // ---- the interface ------------------------------------------------------------------------------------

  async connect(connectString: string, sessionTimeoutMs: number): Promise<void> {
    if (this.connectCalled)
      throw new ZkError("INVALIDSTATE", null, "connect", undefined, "connect() was already called");
    this.connectCalled = true;
    let onState: (s: ConnectionState) => void = () => undefined;
    const connected = new Promise<void>((resolve, reject) => {
      onState = (s) => {
        if (s === "connected") resolve();
        else if (s === "expired" || s === "closed")
          reject(new ZkError("INVALIDSTATE", null, "connect", undefined, s));
      };
      this.on("state", onState);
    });
    connected.catch(() => undefined);
    try {
      await this.call("connect", undefined, () => {
        this.open(connectString, sessionTimeoutMs);
        return connected;
      });
    } catch (err) {
      // Never leave a half-open session behind a failed connect.
      await this.close().catch(() => undefined);
      throw err;
    } finally {
      this.off("state", onState);
    }
  }

  create(path: string, data: Buffer | null, mode: CreateMode = "persistent"): Promise<string> {
    return this.call("create", path, () => this.doCreate(path, data ?? Buffer.alloc(0), mode));
  }

  getData(path: string, watch?: Watcher): Promise<{ data: Buffer; stat: Stat }> {
    return this.call("getData", path, () => this.doGetData(path, watch && oneShot(watch)));
  }

  setData(path: string, data: Buffer | null, version = -1): Promise<Stat> {
    return this.call("setData", path, () => this.doSetData(path, data ?? Buffer.alloc(0), version));
  }

  delete(path: string, version = -1): Promise<void> {
    return this.call("delete", path, () => this.doDelete(path, version));
  }

  getChildren(path: string, watch?: Watcher): Promise<string[]> {
    return this.call("getChildren", path, () => this.doGetChildren(path, watch && oneShot(watch)));
  }

  getChildren2(path: string, watch?: Watcher): Promise<{ children: string[]; stat: Stat }> {
    return this.call("getChildren", path, () => this.doGetChildren2(path, watch && oneShot(watch)));
  }

  exists(path: string, watch?: Watcher): Promise<Stat | null> {
    return this.call("exists", path, () => this.doExists(path, watch && oneShot(watch)));
  }

  sync(path: string): Promise<void> {
    return this.call("sync", path, () => this.doSync(path));
  }

  multi(ops: readonly MultiOp[]): Promise<MultiResult[]> {
    if (!this.capabilities.multi) return Promise.reject(new UnsupportedError("multi", this.driver));
    return this.call("multi", undefined, () => this.doMulti(ops));
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        if (this.connectCalled) await this.shutdown();
      } finally {
        this.setState("closed");
      }
    })();
    return this.closing;
  }

  on(event: "state", listener: (state: ConnectionState) => void): this {
    this.events.on(event, listener);
    return this;
  }

  off(event: "state", listener: (state: ConnectionState) => void): this {
    this.events.off(event, listener);
    return this;
  }

  // ---- for drivers --------------------------------------------------------------------------------------

  /**
   * Report a state. Duplicates are dropped; after `expired` only `closed` may follow; nothing follows
   * `closed`. Entering a terminal state rejects every call in flight (SESSIONEXPIRED after expiry — the
   * call may have been applied before; CONNECTIONLOSS after close).
   */
  protected setState(next: ConnectionState): void {
    if (next === this.current) return;
    if (this.current === "closed") return;
    if (this.current === "expired" && next !== "closed") return;
    // A library reporting its own teardown while we close: only our "closed" counts.
    if (this.closing && next !== "closed") return;
    this.current = next;
    if (next === "expired" || next === "closed") {
      const code = next === "expired" ? "SESSIONEXPIRED" : "CONNECTIONLOSS";
      for (const abort of [...this.inflight]) abort(code, `the session ${next} while the call was in flight`);
    }
    this.events.emit("state", next);
  }

  /**
   * Run one library call under the client-side timeout. The first of (reply, timeout, session end) settles
   * the promise; a late reply is dropped. Library errors go through `toZkError`.
   */
  protected call<T>(op: string, path: string | undefined, run: () => Promise<T>): Promise<T> {
    if (!this.connectCalled || this.closing || this.current === "closed") {
      return Promise.reject(
        new ZkError(
          "INVALIDSTATE",
          null,
          op,
          path,
          this.connectCalled ? "the client is closed" : "connect() first",
        ),
      );
    }
    if (this.current === "expired") {
      return Promise.reject(new ZkError("SESSIONEXPIRED", null, op, path, "the session has expired"));
    }
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const settle = (f: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.inflight.delete(abort);
        f();
      };
      const abort = (code: ZkErrorCode, detail: string) =>
        settle(() => reject(new ZkError(code, null, op, path, detail)));
      const timer = setTimeout(
        () => abort("TIMEOUT", `no reply within ${this.opTimeoutMs} ms`),
        this.opTimeoutMs,
      );
      this.inflight.add(abort);
      let pending: Promise<T>;
      try {
        pending = run();
      } catch (err) {
        pending = Promise.reject(err);
      }
      pending.then(
        (v) =>
          settle(() => {
            if (op !== "connect") this.lastObserved = this.observation(op, path, v) ?? this.lastObserved;
            resolve(v);
          }),
        (err: unknown) => settle(() => reject(err instanceof ZkError ? err : this.toZkError(err, op, path))),
      );
    });
  }
}

/** Wrap a watcher so it is called at most once whatever the library does. */
function oneShot(w: Watcher): Watcher {
  let fired = false;
  return (event) => {
    if (fired) return;
    fired = true;
    w(event);
  };
}
