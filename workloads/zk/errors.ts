/**
 * Errors of our ZooKeeper client interface: one class, one normalized code per outcome, the same on both
 * drivers. Each driver maps its library's raw errors to these in exactly one function
 * (`fromNativeError` in drivers/native.ts, `fromPureJsError` in drivers/pure-js.ts).
 */

/** Normalized error codes. `TIMEOUT` is our own client-side timeout; `OTHER` is anything not listed. */
export const ZK_ERROR_CODES = [
  "NONODE",
  "NODEEXISTS",
  "BADVERSION",
  "NOTEMPTY",
  "CONNECTIONLOSS",
  "OPERATIONTIMEOUT",
  "SESSIONEXPIRED",
  "SESSIONMOVED",
  "NOAUTH",
  "INVALIDSTATE",
  "TIMEOUT",
  "UNIMPLEMENTED",
  "OTHER",
] as const;

export type ZkErrorCode = (typeof ZK_ERROR_CODES)[number];

const KNOWN_CODES: ReadonlySet<string> = new Set(ZK_ERROR_CODES);

/** True for one of our normalized code names. */
export const isZkErrorCode = (s: unknown): s is ZkErrorCode => typeof s === "string" && KNOWN_CODES.has(s);

/** A failed ZooKeeper call, normalized across drivers. */
export class ZkError extends Error {
  override readonly name: string = "ZkError";

  constructor(
    /** Normalized outcome; see classify.ts for what each means for the history. */
    readonly code: ZkErrorCode,
    /** The library's raw numeric return code; null where there is none (TIMEOUT, our own guards). */
    readonly rc: number | null,
    /** The call that failed: "create", "getData", "setData", "delete", "getChildren", "exists", "sync", "multi", "connect". */
    readonly op: string,
    /** The znode path the call was about, if any. */
    readonly path?: string,
    /** Extra text (the library's own message). */
    detail?: string,
  ) {
    super(
      `${op}${path === undefined ? "" : ` ${path}`}: ${code}${rc === null ? "" : ` (rc ${rc})`}${detail ? `: ${detail}` : ""}`,
    );
  }
}

/** A call the driver cannot make at all (multi on the native driver). Code UNIMPLEMENTED: certainly not applied. */
export class UnsupportedError extends ZkError {
  override readonly name: string = "UnsupportedError";

  constructor(op: string, driver: string) {
    super("UNIMPLEMENTED", null, op, undefined, `the ${driver} driver has no ${op}`);
  }
}

/**
 * Map a raw numeric return code through a table of (library constant value → our code). Unlisted codes
 * become OTHER. The tables are built from the constants each library exports, never from literals.
 */
export function codeFromTable(rc: number, table: ReadonlyMap<number, ZkErrorCode>): ZkErrorCode {
  return table.get(rc) ?? "OTHER";
}

/** Build a (constant value → code) table from a library's constants object and a (constant name → code) list. */
export function buildCodeTable(
  constants: Readonly<Record<string, unknown>>,
  names: Readonly<Record<string, ZkErrorCode>>,
): ReadonlyMap<number, ZkErrorCode> {
  const table = new Map<number, ZkErrorCode>();
  for (const [name, code] of Object.entries(names)) {
    const value = constants[name];
    if (typeof value !== "number")
      throw new Error(`the ZooKeeper client library exports no numeric constant ${name}`);
    table.set(value, code);
  }
  return table;
}
