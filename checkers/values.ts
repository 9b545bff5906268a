/**
 * Value identity for checkers: histories carry JSON-ish values (numbers, strings, null, arrays, maps), and two
 * values are the same when their canonical encodings are.
 */

/**
 * A canonical string for a JSON-ish value: object keys sorted, `undefined` as null, bigints and non-finite
 * numbers tagged so they cannot collide with strings. Equal values give equal strings and vice versa.
 */
export function canonical(v: unknown): string {
  switch (typeof v) {
    case "string":
      return JSON.stringify(v);
    case "number":
      return Number.isFinite(v) ? String(v) : `#${String(v)}`;
    case "bigint":
      return `${v}n`;
    case "boolean":
      return v ? "true" : "false";
    case "undefined":
      return "null";
    case "object": {
      if (v === null) return "null";
      if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
      if (v instanceof Set) return `#{${[...v].map(canonical).sort().join(",")}}`;
      if (v instanceof Map) {
        const parts = [...v].map(([k, x]) => `${canonical(k)}:${canonical(x)}`).sort();
        return `{${parts.join(",")}}`;
      }
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o).sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(",")}}`;
    }
    default:
      return `#${typeof v}`;
  }
}

/** Deep equality by canonical encoding, with a fast path for primitives; null and undefined are the same. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null || b == null) return a == null && b == null;
  if (typeof a !== "object" || typeof b !== "object") return false;
  return canonical(a) === canonical(b);
}

/** A short human-readable rendering of a value for evidence text. */
export function show(v: unknown): string {
  if (v === undefined || v === null) return "nil";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "bigint") return String(v);
  const s = canonical(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}
