/**
 * Our history format (DESIGN.md, "History"): JSON Lines, one op object per line. Written append-only while
 * the test runs, so a harness killed mid-write leaves a torn last line: that one is reported as a warning
 * and the rest is checked. Any other bad line is an error naming file:line.
 */
import type { Op } from "../../kernel/op.ts";
import { badInput, excerpt, splitLines } from "./parsed.ts";
import type { ParsedHistory } from "./parsed.ts";

const TYPES = new Set(["invoke", "ok", "fail", "info"]);

/** Validate one parsed line as an Op; `pos` is its position among ops (the default index). */
function toOp(v: unknown, pos: number, file: string, line: number): Op {
  if (v === null || typeof v !== "object" || Array.isArray(v))
    throw badInput(file, line, "expected a JSON object");
  const o = v as Record<string, unknown>;
  if (typeof o.type !== "string" || !TYPES.has(o.type)) {
    throw badInput(file, line, `"type" must be invoke, ok, fail or info, got ${excerpt(String(o.type))}`);
  }
  if (!(typeof o.process === "string" || (typeof o.process === "number" && Number.isInteger(o.process)))) {
    throw badInput(file, line, `"process" must be an integer or "nemesis"`);
  }
  if (typeof o.f !== "string") throw badInput(file, line, `"f" must be a string`);
  if (typeof o.time !== "number" || !Number.isFinite(o.time))
    throw badInput(file, line, `"time" must be a number`);
  if (o.index !== undefined && (typeof o.index !== "number" || !Number.isInteger(o.index))) {
    throw badInput(file, line, `"index" must be an integer`);
  }
  return { ...o, index: (o.index as number | undefined) ?? pos, value: o.value ?? null } as Op;
}

/** Parse JSON Lines, calling `each` with every object and its 1-based line; handles the torn last line. */
export function parseJsonLines(
  text: string,
  file: string,
  warnings: string[],
  each: (value: unknown, line: number) => void,
): void {
  const { lines, torn } = splitLines(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === "") continue;
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch {
      if (torn && i === lines.length - 1) {
        warnings.push(`${file}:${i + 1}: torn last line ignored (${excerpt(raw, 40)})`);
        continue;
      }
      throw badInput(file, i + 1, `not JSON: ${excerpt(raw)}`);
    }
    each(v, i + 1);
  }
}

/** Parse a history.jsonl. */
export function parseJsonl(text: string, file = "<input>"): ParsedHistory {
  const history: Op[] = [];
  const warnings: string[] = [];
  parseJsonLines(text, file, warnings, (v, line) => history.push(toOp(v, history.length, file, line)));
  return { format: "jsonl", history, clock: "time", warnings };
}

/** Serialize a history as JSON Lines (the inverse of parseJsonl). */
export function writeJsonl(history: readonly Op[]): string {
  return history.map((op) => `${JSON.stringify(op)}\n`).join("");
}
