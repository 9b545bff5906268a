/**
 * Porcupine's kv logs (corpus porcupine-kv/): one EDN map per line,
 * `{:process 0, :type :invoke, :f :append, :key "0", :value "x 0 0 y"}` — Jepsen EDN with a `:key`, read by
 * the same reader; file order is real-time order.
 */
import { parseJepsenEdn } from "./jepsen-edn.ts";
import type { ParsedHistory } from "./parsed.ts";

/** True when the text looks like a porcupine-kv log (EDN maps with :key and get/put/append). */
export function looksLikePorcupineKv(text: string): boolean {
  const first = text.split("\n", 20).find((l) => l.trim() !== "");
  return first !== undefined && /^\{.*:key\s/.test(first) && /:f\s+:(get|put|append)\b/.test(first);
}

/** Parse a porcupine-kv log. */
export function parsePorcupineKv(text: string, file = "<input>"): ParsedHistory {
  return parseJepsenEdn(text, file, "porcupine-kv");
}
