/**
 * Export a history as Jepsen's history.edn (one op map per line), so Knossos or Elle users can re-check a
 * zk-chaos run. `:type`, `:f` and the `:nemesis` process are written as keywords, other strings as strings;
 * object keys become keywords where EDN allows, strings otherwise.
 */
import type { Op } from "../../kernel/op.ts";

const KEYWORD = /^[A-Za-z*+!_?<>=][A-Za-z0-9*+!_?<>=.\-/]*$/;

function str(s: string): string {
  return `"${s.replace(/[\\"\n\r\t]/g, (c) => ({ "\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t" })[c]!)}"`;
}

const keyword = (s: string): string => (KEYWORD.test(s) && !s.endsWith("/") ? `:${s}` : str(s));

/** One value as EDN text. */
export function toEdn(v: unknown): string {
  switch (typeof v) {
    case "string":
      return str(v);
    case "number":
      return Number.isFinite(v) ? String(v) : "nil";
    case "bigint":
      return `${v}N`;
    case "boolean":
      return String(v);
    case "undefined":
      return "nil";
    case "object": {
      if (v === null) return "nil";
      if (Array.isArray(v)) return `[${v.map(toEdn).join(" ")}]`;
      if (v instanceof Set) return `#{${[...v].map(toEdn).join(" ")}}`;
      const entries = v instanceof Map ? [...v] : Object.entries(v);
      return `{${entries.map(([k, x]) => `${typeof k === "string" ? keyword(k) : toEdn(k)} ${toEdn(x)}`).join(", ")}}`;
    }
    default:
      return "nil";
  }
}

/** One op as an EDN map. */
export function opToEdn(op: Op): string {
  const { index, time, type, process, f, value, ...extra } = op;
  const parts = [
    `:index ${index}`,
    `:time ${Math.trunc(time)}`,
    `:type :${type}`,
    `:process ${typeof process === "number" ? process : keyword(String(process))}`,
    `:f ${keyword(f)}`,
    `:value ${toEdn(value)}`,
  ];
  for (const [k, x] of Object.entries(extra)) if (x !== undefined) parts.push(`${keyword(k)} ${toEdn(x)}`);
  return `{${parts.join(", ")}}`;
}

/** The whole history, one map per line. */
export function writeJepsenEdn(history: readonly Op[]): string {
  return history.map((op) => `${opToEdn(op)}\n`).join("");
}
