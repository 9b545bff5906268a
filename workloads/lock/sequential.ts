/**
 * Pure helpers of the ephemeral-sequential recipes (lock and election): order children by the 10-digit
 * sequence suffix ZooKeeper appends, and find the one node a contender watches (its predecessor), so a
 * deletion wakes exactly one client (no herd effect). Plus small waiting helpers over our client interface.
 */
import type { ConnectionState, ZkClient } from "../zk/index.ts";
import { ZkError } from "../zk/index.ts";

const SEQUENCE = /(\d{10})$/;

/** The sequence number ZooKeeper appended to a sequential node's name, or null if there is none. */
export function sequenceOf(name: string): number | null {
  const m = SEQUENCE.exec(name);
  return m ? Number(m[1]) : null;
}

/** Sequential children in sequence order (names without a suffix are ignored). */
export function sortBySequence(names: readonly string[]): string[] {
  return names
    .filter((n) => sequenceOf(n) !== null)
    .sort((a, b) => sequenceOf(a)! - sequenceOf(b)! || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Where `mine` stands among `names`: `undefined` if it is not there (the node is gone: its session expired
 * or it was deleted), `null` if it is the lowest (it holds the lock / leads), else the name just before it.
 */
export function predecessor(names: readonly string[], mine: string): string | null | undefined {
  const sorted = sortBySequence(names);
  const i = sorted.indexOf(mine);
  if (i < 0) return undefined;
  return i === 0 ? null : sorted[i - 1]!;
}

/** The children of `names` that carry `prefix` (a contender's own nodes, its name carries its session id). */
export const ownNodes = (names: readonly string[], prefix: string): string[] =>
  names.filter((n) => n.startsWith(prefix));

/** A call that may or may not have been applied (the reply was lost). */
export const indeterminate = (err: unknown): boolean =>
  err instanceof ZkError && ["CONNECTIONLOSS", "OPERATIONTIMEOUT", "TIMEOUT", "OTHER"].includes(err.code);

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/**
 * Wait until `event` settles, `ms` pass, or the session ends (expired / closed), whichever comes first.
 * Resolves with what happened.
 */
export function waitFor(
  zk: ZkClient,
  event: Promise<unknown>,
  ms: number,
): Promise<"event" | "timeout" | "ended"> {
  if (zk.state === "expired" || zk.state === "closed") return Promise.resolve("ended");
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: "event" | "timeout" | "ended") => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      zk.off("state", onState);
      resolve(r);
    };
    const onState = (s: ConnectionState) => {
      if (s === "expired" || s === "closed") finish("ended");
    };
    const timer = setTimeout(() => finish("timeout"), Math.max(0, ms));
    zk.on("state", onState);
    event.then(
      () => finish("event"),
      () => finish("event"),
    );
  });
}

/** Wait (bounded) until the session is connected again; false if it ended or the time ran out. */
export function waitConnected(zk: ZkClient, ms: number): Promise<boolean> {
  if (zk.state === "connected") return Promise.resolve(true);
  let onState: (s: ConnectionState) => void = () => undefined;
  const connected = new Promise<void>((resolve) => {
    onState = (s) => {
      if (s === "connected") resolve();
    };
    zk.on("state", onState);
  });
  return waitFor(zk, connected, ms).then((r) => {
    zk.off("state", onState);
    return r === "event" && zk.state === "connected";
  });
}
