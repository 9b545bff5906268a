/**
 * Stale reads of a register (read / write / cas [from, to]): a read is certainly stale when a write of
 * another value was acknowledged before the read began, and every write that could have left the value it
 * returned had completed before that overwrite began. No linearizable history has one (the overwrite comes
 * after every possible source of the value, and before the read), so this is a conservative explanation of
 * a linearizability violation, per read and per server: it names the server that served each stale read.
 * An info (unknown) write of the value may take effect at any later time, so it keeps reads of it fresh.
 */
import type { Op } from "../kernel/op.ts";
import type { CheckResult, Checker } from "./checker.ts";
import { pairOps } from "./pairs.ts";
import { canonical } from "./values.ts";

const MAX = 20;

/** A write as the check sees it: the value it leaves, its interval (end Infinity: unknown outcome). */
interface Write {
  /** Canonical form of the value it leaves, and the value itself. */
  readonly value: string;
  readonly raw: unknown;
  readonly start: number;
  readonly end: number;
  readonly ok: boolean;
  readonly index: number;
  readonly process: number;
  readonly node?: string;
}

export interface StaleRead {
  /** The read: history index of its invoke, process, server, value returned, interval. */
  readonly index: number;
  readonly process: number;
  readonly node?: string;
  readonly value: unknown;
  readonly start: number;
  readonly end: number;
  /** The acknowledged write of another value that completed before the read began. */
  readonly overwrite: {
    index: number;
    process: number;
    node?: string;
    value: unknown;
    start: number;
    end: number;
  };
  /** The last write of the value read (absent: the initial value), completed before the overwrite began. */
  readonly source?: { index: number; process: number; node?: string; start: number; end: number };
}

const written = (f: string, value: unknown): unknown =>
  f === "write" ? value : f === "cas" && Array.isArray(value) ? value[1] : undefined;

/** Find the certainly stale reads of a register history (`initial`: the value before any write). */
export function checkStaleReads(history: readonly Op[], initial: unknown = null): CheckResult {
  const writes: Write[] = [];
  const reads: {
    index: number;
    process: number;
    node?: string;
    value: unknown;
    start: number;
    end: number;
  }[] = [];
  for (const { invoke, completion: c } of pairOps(history).pairs) {
    if (c?.type === "fail") continue;
    const node = typeof c?.node === "string" ? { node: c.node } : {};
    if (invoke.f === "read") {
      if (c?.type === "ok")
        reads.push({
          index: invoke.index,
          process: invoke.process as number,
          ...node,
          value: c.value,
          start: invoke.time,
          end: c.time,
        });
      continue;
    }
    const w = written(invoke.f, invoke.value);
    if (w === undefined) continue;
    const ok = c?.type === "ok";
    writes.push({
      value: canonical(w),
      raw: w,
      start: invoke.time,
      end: ok ? c.time : Infinity,
      ok,
      index: invoke.index,
      process: invoke.process as number,
      ...node,
    });
  }
  writes.sort((a, b) => a.start - b.start);
  const byValue = new Map<string, Write[]>();
  for (const w of writes) {
    const list = byValue.get(w.value) ?? [];
    list.push(w);
    byValue.set(w.value, list);
  }
  // Per value, over its writes sorted by start: the acknowledged ones with the earliest end from i on.
  const firstEndFrom = new Map<string, (Write | undefined)[]>();
  for (const [v, list] of byValue) {
    const best: (Write | undefined)[] = new Array(list.length + 1).fill(undefined);
    for (let i = list.length - 1; i >= 0; i--) {
      const w = list[i]!;
      const next = best[i + 1];
      best[i] = w.ok && (next === undefined || w.end < next.end) ? w : next;
    }
    firstEndFrom.set(v, best);
  }
  const firstStartAfter = (list: readonly Write[], t: number): number => {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.start <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const initialKey = canonical(initial);
  const stale: StaleRead[] = [];
  const byNode: Record<string, number> = {};
  let count = 0;
  for (const r of reads) {
    const v = canonical(r.value);
    // The writes of v that could be the read's source started before it ended.
    const sources = (byValue.get(v) ?? []).filter((w) => w.start < r.end);
    if (sources.length === 0 && v !== initialKey) continue; // a value never written: not this check's finding
    const source = sources.reduce<Write | undefined>(
      (a, w) => (a === undefined || w.end > a.end ? w : a),
      undefined,
    );
    const settled = source === undefined ? -Infinity : source.end;
    if (settled === Infinity) continue;
    let overwrite: Write | undefined;
    for (const [u, list] of byValue) {
      if (u === v) continue;
      const w = firstEndFrom.get(u)![firstStartAfter(list, settled)];
      if (w && w.end < r.start && (overwrite === undefined || w.end < overwrite.end)) overwrite = w;
    }
    if (!overwrite) continue;
    count++;
    const where = r.node ?? "unknown";
    byNode[where] = (byNode[where] ?? 0) + 1;
    if (stale.length < MAX) {
      const ref = (w: Write) => ({
        index: w.index,
        process: w.process,
        ...(w.node !== undefined ? { node: w.node } : {}),
        start: w.start,
        end: w.end,
      });
      stale.push({
        ...r,
        overwrite: { ...ref(overwrite), value: overwrite.raw },
        ...(source ? { source: ref(source) } : {}),
      });
    }
  }
  return { valid: count === 0, readsChecked: reads.length, staleCount: count, staleByNode: byNode, stale };
}

/** The stale-reads Checker for a register whose initial value is `initial`. */
export function staleReads(initial: unknown = null): Checker {
  return { name: "stale-reads", check: (history) => checkStaleReads(history, initial) };
}
