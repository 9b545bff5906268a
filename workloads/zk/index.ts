/**
 * workloads/zk: the ZooKeeper client our recipes are written against — one small interface (client.ts),
 * two drivers behind it (the native `zookeeper` binding, the default, and the pure-JS
 * `node-zookeeper-client`, the one with multi), normalized errors (errors.ts) and the one outcome table
 * that turns a failed call into `fail` or `info` (classify.ts).
 */
import { DRIVER_NAMES, type DriverName, type ZkClient, type ZkClientOptions } from "./client.ts";
import { NativeDriver, type NativeLogLevel } from "./drivers/native.ts";
import { PureJsDriver } from "./drivers/pure-js.ts";

export type {
  Capabilities,
  ConnectionState,
  CreateMode,
  DriverName,
  MultiOp,
  MultiResult,
  ServerAddress,
  Stat,
  WatchEvent,
  WatchEventType,
  Watcher,
  ZkClient,
  ZkClientOptions,
  ZxidObservation,
} from "./client.ts";
export { DRIVER_NAMES } from "./client.ts";
export { UnsupportedError, ZK_ERROR_CODES, ZkError, isZkErrorCode, type ZkErrorCode } from "./errors.ts";
export { classify, type Classification } from "./classify.ts";
export { serversOf } from "./connect-string.ts";
export type { NativeLogLevel } from "./drivers/native.ts";

export interface CreateClientOptions extends ZkClientOptions {
  /** Native driver only: the C client's stderr log level (default "off"). */
  logLevel?: NativeLogLevel;
}

export interface ConnectClientOptions extends CreateClientOptions {
  /** "host:port,host:port,…" */
  connectString: string;
  /** Requested session timeout in ms; the ensemble clamps it to [2, 20] × tickTime. */
  sessionTimeoutMs: number;
}

/**
 * A client on the given driver. Without `connectString` it returns an unconnected client (call connect());
 * with `connectString` and `sessionTimeoutMs` it returns a promise of a connected one (on failure nothing is
 * left open).
 */
export function createClient(driver: DriverName, opts: ConnectClientOptions): Promise<ZkClient>;
export function createClient(driver: DriverName, opts?: CreateClientOptions): ZkClient;
export function createClient(
  driver: DriverName,
  opts: CreateClientOptions | ConnectClientOptions = {},
): ZkClient | Promise<ZkClient> {
  let client: ZkClient;
  switch (driver) {
    case "zookeeper":
      client = new NativeDriver(opts);
      break;
    case "node-zookeeper-client":
      client = new PureJsDriver(opts);
      break;
    default:
      throw new RangeError(
        `unknown ZooKeeper client driver ${String(driver)}; use ${DRIVER_NAMES.join(" or ")}`,
      );
  }
  if ("connectString" in opts)
    return client.connect(opts.connectString, opts.sessionTimeoutMs).then(() => client);
  return client;
}
