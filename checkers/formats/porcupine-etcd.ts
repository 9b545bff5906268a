/**
 * Porcupine's Jepsen etcd logs (corpus porcupine-etcd/): one `INFO jepsen.util - <process> :<type> :<f> <value>`
 * line per event, a single CAS register. Lines that are not client events (setup, nemesis) are skipped.
 * `:timed-out` values become an `error`; `:fail :read :timed-out` is a fail (tells nothing).
 */
import type { Op, OpType } from "../../kernel/op.ts";
import { badInput, excerpt, splitLines } from "./parsed.ts";
import type { ParsedHistory } from "./parsed.ts";

const EVENT =
  /^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:(invoke|ok|fail|info)\s+:(read|write|cas)\s+(nil|\d+|\[\d+\s+\d+\]|:timed-out)\s*$/;
/** A line that claims to be a client event (integer process) — it must then match EVENT. */
const CLIENT_LINE = /^INFO\s+jepsen\.util\s+-\s+\d+\s/;

/** True when the text looks like a porcupine-etcd log. */
export function looksLikePorcupineEtcd(text: string): boolean {
  const first = text.split("\n", 50).find((l) => l.trim() !== "");
  return first !== undefined && /^INFO\s+jepsen\.util\s+-/.test(first);
}

/** A decimal integer, or undefined past 2^53 (a larger one would lose digits and compare wrongly). */
function safeInt(raw: string): number | undefined {
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** The event's value; undefined when a number in it is too large. */
function parseValue(raw: string): unknown {
  if (raw === "nil" || raw === ":timed-out") return null;
  if (raw.startsWith("[")) {
    const pair = raw.slice(1, -1).trim().split(/\s+/).map(safeInt);
    return pair.includes(undefined) ? undefined : pair;
  }
  return safeInt(raw);
}

/** Parse a porcupine-etcd log; `file` names it in errors. */
export function parsePorcupineEtcd(text: string, file = "<input>"): ParsedHistory {
  const { lines, torn } = splitLines(text);
  const history: Op[] = [];
  const warnings: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = EVENT.exec(line);
    if (!m) {
      if (!CLIENT_LINE.test(line)) continue;
      if (torn && i === lines.length - 1) {
        warnings.push(`${file}:${i + 1}: torn last line ignored`);
        continue;
      }
      throw badInput(file, i + 1, `not a Jepsen client event: ${excerpt(line)}`);
    }
    const raw = m[4]!;
    const process = safeInt(m[1]!);
    const value = parseValue(raw);
    if (process === undefined || value === undefined)
      throw badInput(file, i + 1, `number too large: ${excerpt(line)}`);
    history.push({
      index: history.length,
      time: i,
      process,
      type: m[2] as OpType,
      f: m[3]!,
      value,
      ...(raw === ":timed-out" ? { error: "timed-out" } : {}),
    });
  }
  if (history.length === 0 && text.trim() !== "" && !lines.some((l) => /jepsen\.util/.test(l))) {
    throw badInput(
      file,
      1,
      "no porcupine-etcd event lines (INFO jepsen.util - <process> :<type> :<f> <value>)",
    );
  }
  return { format: "porcupine-etcd", history, clock: "position", warnings };
}
