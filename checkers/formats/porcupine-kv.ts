/**
 * Porcupine's kv logs (corpus porcupine-kv/): one EDN map per line,
 * `{:process 0, :type :invoke, :f :append, :key "0", :value "x 0 0 y"}` — Jepsen EDN with a `:key`, read by
 * the same reader; file order is real-time order. Lines in exactly Porcupine's own layout take a fast path
 * (one regular expression each, about a tenth of the reader's time on a cold start); a file with any other
 * line is read whole by the EDN reader, so both give the same ops.
 */
import type { Op, OpType } from "../../kernel/op.ts";
import { parseJepsenEdn } from "./jepsen-edn.ts";
import type { ParsedHistory } from "./parsed.ts";

/** True when the text looks like a porcupine-kv log (EDN maps with :key and get/put/append). */
export function looksLikePorcupineKv(text: string): boolean {
  const first = text.split("\n", 20).find((l) => l.trim() !== "");
  return first !== undefined && /^\{.*:key\s/.test(first) && /:f\s+:(get|put|append)\b/.test(first);
}

/** Porcupine's layout: strings without escapes, a value that is a string or nil. */
const LINE =
  /^\{:process (0|[1-9]\d{0,8}), :type :(invoke|ok|fail|info), :f :(get|put|append), :key "([^"\\]*)", :value (?:nil|"([^"\\]*)")\}$/;

/** The ops of a log in Porcupine's exact layout, or undefined when any line is not (the reader then decides). */
function fastOps(text: string): Op[] | undefined {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const ops: Op[] = [];
  for (const line of lines) {
    const m = LINE.exec(line);
    if (m === null) return undefined;
    const pos = ops.length;
    ops.push({
      key: m[4]!,
      index: pos,
      time: pos,
      type: m[2] as OpType,
      process: Number(m[1]),
      f: m[3]!,
      value: m[5] ?? null,
    });
  }
  return ops;
}

/** Parse a porcupine-kv log. */
export function parsePorcupineKv(text: string, file = "<input>"): ParsedHistory {
  const history = text.endsWith("\n") ? fastOps(text) : undefined;
  if (history !== undefined && history.length > 0)
    return { format: "porcupine-kv", history, clock: "position", warnings: [] };
  return parseJepsenEdn(text, file, "porcupine-kv");
}
