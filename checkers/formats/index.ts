/**
 * History parsers by format, and format detection by content (then by file extension).
 */
import { parseJepsenEdn } from "./jepsen-edn.ts";
import { parseJsonl } from "./jsonl.ts";
import { badInput, FORMATS } from "./parsed.ts";
import type { Format, ParsedHistory } from "./parsed.ts";
import { looksLikePorcupineEtcd, parsePorcupineEtcd } from "./porcupine-etcd.ts";
import { looksLikePorcupineKv, parsePorcupineKv } from "./porcupine-kv.ts";

export type { Format, ParsedHistory } from "./parsed.ts";
export { FORMATS } from "./parsed.ts";

/** True when `s` names a format. */
export const isFormat = (s: string): s is Format => (FORMATS as readonly string[]).includes(s);

/**
 * The format of `text` from its first significant line; when that says nothing (an empty file, or content no
 * parser recognizes) from `file`'s extension; else undefined.
 */
export function detectFormat(text: string, file = ""): Format | undefined {
  const head = text.slice(0, 4096).replace(/^\uFEFF/, "");
  const first = head.split("\n").find((l) => l.trim() !== "" && !l.trimStart().startsWith(";"));
  if (first !== undefined) {
    const l = first.trimStart();
    if (/^\{\s*"/.test(l)) return "jsonl";
    if (looksLikePorcupineEtcd(head)) return "porcupine-etcd";
    if (looksLikePorcupineKv(head)) return "porcupine-kv";
    if (/^[[({#]/.test(l) || /^\{\s*:/.test(l)) return "jepsen-edn";
    if (/^\{\s*\}/.test(l)) return "jsonl";
    // unrecognizable content: trust an unambiguous extension, so the parser can name the bad line
    if (/\.jsonl?$/.test(file)) return "jsonl";
    if (file.endsWith(".edn")) return "jepsen-edn";
    return undefined;
  }
  // empty (or comments only): go by extension
  if (file.endsWith(".jsonl") || file.endsWith(".json")) return "jsonl";
  if (file.endsWith(".edn") || head.trim() !== "") return "jepsen-edn";
  if (file.endsWith(".log")) return "porcupine-etcd";
  if (file.endsWith(".txt")) return "porcupine-kv";
  return "jsonl";
}

/** Parse `text` (named `file` in messages) as `format`, or as the detected format. */
export function parseHistory(text: string, file = "<input>", format?: Format): ParsedHistory {
  const f = format ?? detectFormat(text, file);
  if (f === undefined) throw badInput(file, undefined, "cannot tell the history format; use --format");
  switch (f) {
    case "jsonl":
      return parseJsonl(text, file);
    case "jepsen-edn":
      return parseJepsenEdn(text, file);
    case "porcupine-etcd":
      return parsePorcupineEtcd(text, file);
    case "porcupine-kv":
      return parsePorcupineKv(text, file);
  }
}
