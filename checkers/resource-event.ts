/**
 * The guarded resource's own log (resource.jsonl): what the resource did with each request, from its side.
 * Checkers that judge a lock or a leader need it — the client history says what clients believed, the
 * resource log says what actually got in.
 */

/** One request as the resource saw it. */
export interface ResourceEvent {
  /** Nanoseconds since test start, on the history's clock. */
  readonly time: number;
  /** Who sent it: client process, session id or leader id (a leadership tenure, for leader-safety). */
  readonly holder: string | number;
  /** What it was: "write", "enter", "exit", … */
  readonly op: string;
  /** Whether the resource accepted it (false: rejected, e.g. by a stale fencing token). */
  readonly accepted: boolean;
  /** false when an accepted write changed nothing (an idempotent sink's repeat); absent = applied if accepted. */
  readonly applied?: boolean;
  /** Fencing token presented (the lock or latch znode's czxid); number, decimal or 0x-hex string. */
  readonly token?: number | string;
  /** Which resource key it touched. */
  readonly key?: string;
  /** Critical-section id (for lock-safety, when there is no token): one id per acquisition. */
  readonly section?: string | number;
  /** Leadership epoch or term, when the writer knows it. */
  readonly epoch?: number | string;
  /** Logical write / event id, for duplicate detection. */
  readonly id?: string | number;
  readonly value?: unknown;
  readonly [extra: string]: unknown;
}

/** A token, zxid or epoch as a bigint (numbers, decimal and 0x-hex strings), or undefined. */
export function ordinal(v: unknown): bigint | undefined {
  if (typeof v === "bigint") return v;
  if (typeof v === "number") return Number.isFinite(v) ? BigInt(Math.trunc(v)) : undefined;
  if (typeof v === "string" && /^(0x[0-9a-fA-F]+|-?\d+)$/.test(v.trim())) return BigInt(v.trim());
  return undefined;
}

/** A bigint for JSON evidence: a number when exact, else a decimal string. */
export function jsonOrdinal(v: bigint): number | string {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v.toString();
}

/** Resource events sorted by time (stable: ties keep log order). */
export function byTime(events: readonly ResourceEvent[]): ResourceEvent[] {
  return events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.time - b.e.time || a.i - b.i)
    .map((x) => x.e);
}
