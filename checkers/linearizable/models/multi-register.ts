/**
 * Registers by key, changed by transactions (Knossos `multi-register`): a `txn` value is a list of
 * micro-ops `[f, key, value]` with f `r`/`read` or `w`/`write`, applied in order. The invoke carries the
 * writes' values; the ok completion carries the reads' results. Unset keys read as null. Starts from
 * `initial` (default: every key unset), e.g. Knossos's own `{x 0, y 0}`.
 */
import type { Op } from "../../../kernel/op.ts";
import { UNKNOWN } from "../model.ts";
import type { Model, ReadOp } from "../model.ts";
import { canonical, sameValue, show } from "../../values.ts";

/** One micro-op. */
export interface MicroOp {
  readonly f: "r" | "w";
  readonly key: string;
  readonly value: unknown;
}

/** The state: values by key, as a frozen plain object. */
export type Registers = Readonly<Record<string, unknown>>;

function micro(raw: unknown): MicroOp | null {
  if (!Array.isArray(raw) || raw.length < 2) return null;
  const f = raw[0] === "r" || raw[0] === "read" ? "r" : raw[0] === "w" || raw[0] === "write" ? "w" : null;
  if (f === null) return null;
  return { f, key: typeof raw[1] === "string" ? raw[1] : canonical(raw[1]), value: raw[2] ?? null };
}

function micros(v: unknown): MicroOp[] | null {
  if (!Array.isArray(v)) return null;
  const out: MicroOp[] = [];
  for (const m of v) {
    const x = micro(m);
    if (x === null) return null;
    out.push(x);
  }
  return out;
}

function readTxn(invoke: Op, completion: Op | undefined): ReadOp<MicroOp[], MicroOp[]> | null {
  if (invoke.f !== "txn") return null;
  const input = micros(invoke.value);
  if (input === null) return null;
  if (!completion) return { input, output: UNKNOWN };
  const output = micros(completion.value);
  return { input, output: output === null || output.length !== input.length ? UNKNOWN : output };
}

/** The multi-register model; `initial` holds each key's value before any transaction. */
export function multiRegister(initial: Registers = {}): Model<Registers, MicroOp[], MicroOp[]> {
  const start = Object.freeze({ ...initial });
  return {
    name: "multi-register",
    init: () => start,
    step(s, input, output) {
      let next: Record<string, unknown> | null = null;
      for (let i = 0; i < input.length; i++) {
        const m = input[i]!;
        if (m.f === "w") {
          next ??= { ...s };
          next[m.key] = m.value;
        } else if (output !== UNKNOWN) {
          const cur = (next ?? s)[m.key] ?? null;
          if (!sameValue(cur, output[i]!.value)) return [false, s];
        }
      }
      return [true, next ?? s];
    },
    readOnly: (input) => input.every((m) => m.f === "r"),
    describeOperation(input, output) {
      const shown = input.map((m, i) => {
        const v = m.f === "w" ? m.value : output === UNKNOWN ? "?" : output[i]!.value;
        return `[${m.f} ${m.key} ${v === "?" ? "?" : show(v)}]`;
      });
      return `txn(${shown.join(" ")})`;
    },
    describeState: (s) => show(s),
    fromOp: readTxn,
  };
}
