/**
 * Test helper: hand-made cache histories. Times are given in seconds and recorded in ns; each op is an
 * invoke and its completion, the cache value carrying the slot and the journal entries given.
 */
import type { Op } from "../../../kernel/op.ts";
import type { CopyMap, JournalEntry } from "../history.ts";

const NS = 1e9;

export class CacheHistoryBuilder {
  readonly ops: Op[] = [];

  private op(
    slot: number,
    f: string,
    at: number,
    took: number,
    type: Op["type"],
    value: Record<string, unknown>,
  ): this {
    const process = slot;
    this.ops.push({ index: this.ops.length, time: at * NS, type: "invoke", process, f, value: null });
    this.ops.push({
      index: this.ops.length,
      time: (at + took) * NS,
      type,
      process,
      f,
      value: { slot, journal: [], ...value },
    });
    return this;
  }

  /** An acknowledged setData (or create) of `key` at version [czxid, mzxid], completing at `at` s. */
  put(slot: number, at: number, key: string, czxid: number, mzxid: number, type: Op["type"] = "ok"): this {
    return this.op(slot, "put", at, 0.01, type, { key, value: mzxid, czxid, mzxid });
  }

  delete(slot: number, at: number, key: string, czxid: number, type: Op["type"] = "ok"): this {
    return this.op(slot, "delete", at, 0.01, type, { key, czxid });
  }

  /** A copy reported by a `read` invoked at `at` s. */
  read(slot: number, at: number, copy: CopyMap, journal: JournalEntry[] = [], boundMs = 1000): this {
    return this.op(slot, "read", at, 0.01, "ok", { copy, boundMs, journal });
  }

  final(slot: number, at: number, copy: CopyMap, truth: CopyMap, boundMs = 1000): this {
    return this.op(slot, "final", at, 0.01, "ok", { copy, truth, boundMs });
  }

  /** An op carrying only journal entries (a failed read). */
  journal(slot: number, at: number, journal: JournalEntry[]): this {
    return this.op(slot, "read", at, 0.01, "fail", { journal });
  }

  phase(mark: "main" | "final" | "done", at: number): this {
    for (const type of ["invoke", "info"] as const)
      this.ops.push({
        index: this.ops.length,
        time: at * NS,
        type,
        process: "nemesis",
        f: "phase",
        value: mark,
      });
    return this;
  }
}

/** Journal entries at `t` seconds in `session`. */
export const data = (
  t: number,
  session: string,
  key: string,
  czxid: number,
  mzxid: number,
  watch = true,
): JournalEntry => ({
  t: t * NS,
  session,
  e: "data",
  key,
  czxid,
  mzxid,
  watch,
});
export const event = (t: number, session: string, key: string | null, type = "changed"): JournalEntry => ({
  t: t * NS,
  session,
  e: "event",
  key,
  type,
});
export const children = (
  t: number,
  session: string,
  pzxid: number,
  names: string[],
  watch = true,
): JournalEntry => ({
  t: t * NS,
  session,
  e: "children",
  pzxid,
  children: names,
  watch,
});
