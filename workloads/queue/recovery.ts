/**
 * What a recipe does between the attempts of one op after a call ended indeterminately: wait for the
 * session to come back (or open a new one after expiry), then try again until a deadline. Shared by the
 * queue and exporter recipes; written only against our client interface.
 */
import { ZkError } from "../zk/index.ts";
import type { WorkerContext } from "../workload.ts";

/** How long one op keeps trying to learn or finish what it started before it gives up (info). */
export const RECOVERY_MS = 30_000;

/** Outcomes that say nothing about whether a write happened (classify.ts's info row), and non-ZkErrors. */
const INDETERMINATE: ReadonlySet<string> = new Set([
  "CONNECTIONLOSS",
  "OPERATIONTIMEOUT",
  "SESSIONEXPIRED",
  "SESSIONMOVED",
  "TIMEOUT",
  "OTHER",
]);

/** The normalized code of an error, or "unknown: <message>". */
export function errorCode(err: unknown): string {
  if (err instanceof ZkError) return err.code;
  return `unknown: ${err instanceof Error ? err.message : String(err)}`;
}

/** True when the call may or may not have taken effect (connection loss, timeout, expiry, not a ZkError). */
export function isIndeterminate(err: unknown): boolean {
  return !(err instanceof ZkError) || INDETERMINATE.has(err.code);
}

/** True for a ZkError with this code. */
export const hasCode = (err: unknown, code: string): boolean => err instanceof ZkError && err.code === code;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** The recovery budget of an op: `options.recoveryMs` (tests) or RECOVERY_MS. */
export function recoveryMs(ctx: WorkerContext): number {
  const v = ctx.options["recoveryMs"];
  return typeof v === "number" && v > 0 ? v : RECOVERY_MS;
}

/**
 * Before the next attempt: open a new session if this one is over (expired, closed, or none), else wait
 * (up to 2 s, never past the deadline) for the connection to come back. Never throws.
 */
export async function recover(ctx: WorkerContext, deadline: number): Promise<void> {
  let state: string;
  try {
    state = ctx.zk.state;
  } catch {
    state = "closed"; // no session at all: a reconnect failed earlier
  }
  if (state === "expired" || state === "closed") {
    try {
      await ctx.reconnect();
    } catch {
      await sleep(Math.min(500, deadline - Date.now()));
    }
    return;
  }
  if (state === "connected") return void (await sleep(Math.min(100, deadline - Date.now())));
  const zk = ctx.zk;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      zk.off("state", onState);
      resolve();
    };
    const onState = (s: string) => {
      if (s !== "disconnected") done();
    };
    const timer = setTimeout(done, Math.max(0, Math.min(2000, deadline - Date.now())));
    zk.on("state", onState);
  });
}

/** Sort sequential znode names by their 10-digit sequence suffix (names differ in their prefixes). */
export function bySequence(names: readonly string[]): string[] {
  return [...names].sort((a, b) => sequenceOf(a) - sequenceOf(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** The sequence number ZooKeeper appended to a sequential node's name (NaN if it has none). */
export function sequenceOf(name: string): number {
  const m = /(\d{10})$/.exec(name);
  return m ? Number(m[1]) : Number.NaN;
}
