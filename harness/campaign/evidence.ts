/**
 * A short text summary of a run's checker evidence, for JUnit failures and CI logs: which checkers did not
 * find the run valid, their scalar findings, and the first example of each list of violations.
 */
import type { CheckResult } from "../../checkers/checker.ts";

const MAX_FIELDS = 16;
const MAX_EXAMPLE = 300;

/** Names of the checkers whose verdict is not `true`, invalid ones first. */
export function notValid(checkers: Readonly<Record<string, CheckResult>>): string[] {
  const names = Object.keys(checkers).filter((n) => checkers[n]!.valid !== true);
  return [
    ...names.filter((n) => checkers[n]!.valid === false),
    ...names.filter((n) => checkers[n]!.valid !== false),
  ];
}

/** One line per checker that is not valid: `name (false): key=value, …; list[3] first: {…}`. */
export function evidenceSummary(checkers: Readonly<Record<string, CheckResult>>): string[] {
  return notValid(checkers).map((name) => {
    const r = checkers[name]!;
    const fields: string[] = [];
    const lists: [string, unknown[]][] = [];
    // Breadth first: top-level findings before nested ones.
    let level: [string, unknown][] = Object.entries(r).filter(([k]) => k !== "valid");
    for (let depth = 0; depth < 3 && level.length > 0; depth++) {
      const next: [string, unknown][] = [];
      for (const [key, v] of level) {
        if (Array.isArray(v)) lists.push([key, v]);
        else if (v !== null && typeof v === "object")
          next.push(...Object.entries(v).map(([k, x]): [string, unknown] => [`${key}.${k}`, x]));
        else if (fields.length < MAX_FIELDS) fields.push(`${key}=${scalar(v)}`);
      }
      level = next;
    }
    const parts = [fields.join(", ")];
    for (const [key, xs] of lists) {
      if (xs.length === 0) continue;
      parts.push(`${key}[${xs.length}] first: ${truncate(JSON.stringify(xs[0]) ?? "null", MAX_EXAMPLE)}`);
      break; // one example is enough for a summary; the report has the rest
    }
    return `${name} (${String(r.valid)}): ${parts.filter((p) => p).join("; ")}`;
  });
}

function scalar(v: unknown): string {
  if (typeof v === "string") return truncate(/[\s,;=]/.test(v) ? JSON.stringify(v) : v, 120);
  if (typeof v === "number" && !Number.isInteger(v)) return String(Math.round(v * 1000) / 1000);
  return String(v);
}

const truncate = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
