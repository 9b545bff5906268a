/**
 * Test and bench helper: a linearizable CAS-register history of any length, as the harness writes it. Each
 * step either invokes an op on an idle process or completes a busy one, applying it to the register at its
 * completion (a point inside its interval, so the history is linearizable). Some completions are `info`
 * (applied or not, at random) and retire the process number, as the runner does.
 */
import type { Op } from "../../kernel/op.ts";

export interface RandomRegisterOptions {
  /** Client operations (invoke + completion pairs). */
  readonly ops: number;
  /** Concurrent client slots. */
  readonly processes?: number;
  /** Fraction of completions that are `info`. */
  readonly infoRate?: number;
  readonly seed?: number;
}

/** A linearizable history of `ops` read/write/cas operations over `processes` slots. */
export function randomRegisterHistory(o: RandomRegisterOptions): Op[] {
  const slots = o.processes ?? 5;
  const infoRate = o.infoRate ?? 0.01;
  let seed = (o.seed ?? 1) >>> 0 || 1;
  const rand = (): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
  const out: Op[] = [];
  const procs = Array.from({ length: slots }, (_, i) => i);
  const busy: ({ f: string; value: unknown } | null)[] = new Array<null>(slots).fill(null);
  let reg: number | null = null;
  let invoked = 0;
  let time = 0;
  const push = (op: Omit<Op, "index" | "time">): void => {
    time += 1000 + Math.floor(rand() * 1000);
    out.push({ index: out.length, time, ...op } as Op);
  };
  while (invoked < o.ops || busy.some((b) => b !== null)) {
    const slot = Math.floor(rand() * slots);
    const op = busy[slot] ?? null;
    const process = procs[slot]!;
    if (op === null) {
      if (invoked >= o.ops) continue;
      const r = rand();
      const next =
        r < 0.4
          ? { f: "read", value: null }
          : r < 0.8
            ? { f: "write", value: Math.floor(rand() * 5) }
            : { f: "cas", value: [Math.floor(rand() * 5), Math.floor(rand() * 5)] };
      busy[slot] = next;
      invoked++;
      push({ process, type: "invoke", f: next.f, value: next.value });
      continue;
    }
    busy[slot] = null;
    if (rand() < infoRate) {
      if (op.f === "write" && rand() < 0.5) reg = op.value as number;
      push({ process, type: "info", f: op.f, value: op.value, error: "timeout" });
      procs[slot] = process + slots;
      continue;
    }
    if (op.f === "read") push({ process, type: "ok", f: "read", value: reg });
    else if (op.f === "write") {
      reg = op.value as number;
      push({ process, type: "ok", f: "write", value: op.value });
    } else {
      const [from, to] = op.value as [number, number];
      const ok = reg === from;
      if (ok) reg = to;
      push({ process, type: ok ? "ok" : "fail", f: "cas", value: op.value });
    }
  }
  return out;
}
