/**
 * `zk-chaos export SRC [--out FILE]`: a history (a file, or a run folder's history.jsonl) as Jepsen's
 * history.edn, so Knossos and Elle users can re-check a zk-chaos run. Jepsen reads real-time order from the
 * file's order, so ops are written in `time` order (ties keep their file order) with `:index` renumbered to
 * match.
 */
import { readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { writeJepsenEdn } from "../../../checkers/formats/edn-writer.ts";
import { FORMATS, isFormat, parseHistory } from "../../../checkers/formats/index.ts";
import type { Op } from "../../../kernel/op.ts";
import { BadInputError, EXIT } from "../../../kernel/errors.ts";

export interface ExportOptions {
  readonly format?: string;
  /** Output file; "-" or absent: stdout. */
  readonly out?: string;
}

/** The history file `src` names: itself, or a run folder's history.jsonl. */
async function historyFile(src: string): Promise<string> {
  let isDir: boolean;
  try {
    isDir = (await stat(src)).isDirectory();
  } catch (e) {
    throw new BadInputError(`${src}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  if (!isDir) return src;
  const file = path.join(src, "history.jsonl");
  try {
    await stat(file);
  } catch {
    throw new BadInputError(`${src}: not a run folder (no history.jsonl in it)`);
  }
  return file;
}

/** Ops in real-time order (by `time` when the format has one), indexed by position. */
export function inFileOrder(history: readonly Op[], byTime: boolean): Op[] {
  const ordered = byTime
    ? history.map((op, i) => ({ op, i })).sort((a, b) => a.op.time - b.op.time || a.i - b.i)
    : history.map((op) => ({ op }));
  return ordered.map(({ op }, index) => ({ ...op, index }));
}

export async function exportCommand(src: string, opts: ExportOptions = {}): Promise<number> {
  if (opts.format !== undefined && !isFormat(opts.format)) {
    throw new BadInputError(`--format must be one of ${FORMATS.join(", ")}, got '${opts.format}'`);
  }
  const file = await historyFile(src);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new BadInputError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const parsed = parseHistory(text, file, opts.format as Parameters<typeof parseHistory>[2]);
  for (const w of parsed.warnings) process.stderr.write(`warning: ${w}\n`);
  const edn = writeJepsenEdn(inFileOrder(parsed.history, parsed.format === "jsonl"));
  if (opts.out === undefined || opts.out === "-") {
    process.stdout.write(edn);
  } else {
    try {
      await writeFile(opts.out, edn);
    } catch (e) {
      throw new BadInputError(
        `${opts.out}: cannot write (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
      );
    }
    process.stderr.write(`wrote ${parsed.history.length} ops to ${opts.out}\n`);
  }
  return EXIT.valid;
}
