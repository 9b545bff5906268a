import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import type { Op } from "../../kernel/op.ts";

/** An op before the writer gives it its index. */
export type OpInput = Omit<Op, "index">;

/**
 * Append-only JSONL history. Each op is one write(2) of one line as it happens, so a harness killed
 * mid-run leaves a history that can still be checked (at most the last line torn). Keeps the ops in memory
 * for the checkers too.
 */
export class HistoryWriter {
  private fd: number | null;
  private readonly ops: Op[] = [];

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, "a");
  }

  append(input: OpInput): Op {
    const op = { index: this.ops.length, ...input } as Op;
    this.ops.push(op);
    if (this.fd !== null) writeSync(this.fd, JSON.stringify(op, bigintReplacer) + "\n");
    return op;
  }

  /** Everything appended so far, in order. */
  history(): readonly Op[] {
    return this.ops;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/** zxids and tokens are 64-bit: written as decimal numbers when safe, else as strings. */
export function bigintReplacer(_key: string, value: unknown): unknown {
  if (typeof value !== "bigint") return value;
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= -BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value.toString();
}
