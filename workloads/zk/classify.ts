/**
 * The ZooKeeper outcome table (STYLE.md §6, §7 rule 2): the one place a failed call becomes a history
 * completion type. `fail` means it certainly did not happen; `info` means it may have happened, and the
 * worker continues under a new process number.
 *
 * | error                                                          | write | read |
 * |----------------------------------------------------------------|-------|------|
 * | BADVERSION, NODEEXISTS, NONODE, NOTEMPTY (the server refused)  | fail  | fail |
 * | NOAUTH, UNIMPLEMENTED (refused), INVALIDSTATE (never sent)     | fail  | fail |
 * | CONNECTIONLOSS, OPERATIONTIMEOUT, SESSIONEXPIRED, SESSIONMOVED | info  | fail |
 * | TIMEOUT (our client-side timeout), OTHER, anything not a ZkError | info | fail |
 *
 * A read has no side effect, so every failed read is `fail` (as porcupine's etcd logs record
 * `:fail :read :timed-out`).
 */
import type { OpOutcome } from "../workload.ts";
import { isZkErrorCode, ZkError, type ZkErrorCode } from "./errors.ts";

export interface Classification {
  readonly type: "fail" | "info";
  /** The normalized code ("NONODE", "TIMEOUT", …), or "unknown: <message>" for an error that is not ours. */
  readonly error: string;
}

/**
 * Errors that prove a write was not applied: the server answered with a refusal, or the call was never sent
 * (INVALIDSTATE: the handle was closed or expired before the call; UNIMPLEMENTED: the driver has no such call).
 */
const DEFINITE: ReadonlySet<ZkErrorCode> = new Set<ZkErrorCode>([
  "BADVERSION",
  "NODEEXISTS",
  "NONODE",
  "NOTEMPTY",
  "NOAUTH",
  "UNIMPLEMENTED",
  "INVALIDSTATE",
]);

/** The normalized code of a ZkError, or of any error object carrying one of our code names; else null. */
function codeOf(err: unknown): ZkErrorCode | null {
  if (err instanceof ZkError) return err.code;
  const code = typeof err === "object" && err !== null ? (err as { code?: unknown }).code : undefined;
  return isZkErrorCode(code) ? code : null;
}

/** Classify a failed call: `kind` says whether it could have changed state ("write") or not ("read"). */
export function classify(err: unknown, kind: "read" | "write"): Classification {
  const code = codeOf(err);
  const error = code ?? `unknown: ${err instanceof Error ? err.message : String(err)}`;
  if (kind === "read") return { type: "fail", error };
  return { type: code !== null && DEFINITE.has(code) ? "fail" : "info", error };
}

/** Run one op of a recipe; what it throws becomes its outcome by the table above. */
export async function outcomeOf(call: () => Promise<OpOutcome>, kind: "read" | "write"): Promise<OpOutcome> {
  try {
    return await call();
  } catch (err) {
    const { type, error } = classify(err, kind);
    return { type, error };
  }
}
