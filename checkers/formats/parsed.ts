/**
 * What every history parser returns, and the one-line error every parser throws for malformed input.
 */
import type { Op } from "../../kernel/op.ts";
import { BadInputError } from "../../kernel/errors.ts";
import type { Clock } from "../linearizable/operations.ts";

/** The history formats `zk-chaos check` reads. */
export type Format = "jsonl" | "jepsen-edn" | "porcupine-etcd" | "porcupine-kv";

/** Every format, in the order content detection tries them. */
export const FORMATS: readonly Format[] = ["jsonl", "porcupine-etcd", "porcupine-kv", "jepsen-edn"];

/** A parsed history file. */
export interface ParsedHistory {
  readonly format: Format;
  readonly history: Op[];
  /** How to order operations in real time: our JSONL by `time`, the others by file position. */
  readonly clock: Clock;
  /** Recoverable problems (a torn last line), one line each. */
  readonly warnings: string[];
}

/** A BadInputError whose message is one line: `file:line: message`. */
export function badInput(file: string, line: number | undefined, message: string): BadInputError {
  const where = line === undefined ? file : `${file}:${line}`;
  return new BadInputError(`${where}: ${message.replace(/\s*\n\s*/g, " ")}`);
}

/** Split text into lines; `torn` is true when the text does not end with a newline (an unfinished last line). */
export function splitLines(text: string): { lines: string[]; torn: boolean } {
  const lines = text.split(/\r?\n/);
  const torn = lines.length > 0 && lines[lines.length - 1] !== "";
  if (!torn) lines.pop();
  return { lines, torn };
}

/** Shorten a line for an error message. */
export function excerpt(line: string, max = 60): string {
  const s = JSON.stringify(line.length > max ? `${line.slice(0, max)}…` : line);
  return s;
}
