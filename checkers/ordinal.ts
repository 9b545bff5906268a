/** Tokens, zxids and epochs as 64-bit integers, and resource events in time order. */
import type { ResourceEvent } from "../kernel/resource.ts";

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
