/**
 * A compare-and-set register (Knossos `cas-register`, Porcupine's etcd model): `read`, `write v`,
 * `cas [a b]`. Starts as `initial` (default null, Jepsen's nil).
 *
 * Semantics of outcomes: a cas `ok` means the register held `a` and now holds `b`. A cas `fail` means it
 * did not happen and constrains nothing — the conversion drops it before the model sees it (reading it as
 * "the register did not hold a" gives different verdicts; see corpus README, "A semantic trap"). An
 * unknown cas takes effect iff the register holds `a` where it is linearized.
 */
import type { Op } from "../../../kernel/op.ts";
import { UNKNOWN } from "../model.ts";
import type { Model, ReadOp } from "../model.ts";
import { sameValue, show } from "../../values.ts";
import { describeRegisterOp, readRegisterOp, valueHash } from "./register.ts";
import type { RegisterInput } from "./register.ts";

/** cas-register operations. */
export type CasRegisterInput =
  RegisterInput | { readonly f: "cas"; readonly expected: unknown; readonly value: unknown };

/** Read `[a, b]` (or `{from, to}` / `{expected, new}`) as a cas's arguments. */
function casArgs(v: unknown): [unknown, unknown] | null {
  if (Array.isArray(v) && v.length === 2) return [v[0], v[1]];
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if ("from" in o && "to" in o) return [o.from, o.to];
    if ("expected" in o && "new" in o) return [o.expected, o.new];
  }
  return null;
}

function readCasOp(invoke: Op, completion: Op | undefined): ReadOp<CasRegisterInput, unknown> | null {
  if (invoke.f !== "cas") return readRegisterOp(invoke, completion);
  const args = casArgs(invoke.value);
  if (!args) return null;
  return {
    input: { f: "cas", expected: args[0] ?? null, value: args[1] ?? null },
    output: completion ? true : UNKNOWN,
  };
}

/** The cas-register model; `initial` is the value before any write. */
export function casRegister(initial: unknown = null): Model<unknown, CasRegisterInput, unknown> {
  return {
    name: "cas-register",
    init: () => initial,
    step(state, input, output) {
      switch (input.f) {
        case "write":
          return [true, input.value];
        case "read":
          return [output === UNKNOWN || sameValue(state, output), state];
        case "cas": {
          const matches = sameValue(state, input.expected);
          // ok: must have matched; unknown: took effect iff it matched here
          if (output === UNKNOWN) return [true, matches ? input.value : state];
          return [matches, matches ? input.value : state];
        }
      }
    },
    equal: sameValue,
    hash: valueHash,
    readOnly: (input) => input.f === "read",
    accepts(state, input, output) {
      if (input.f === "read") return output === UNKNOWN || sameValue(state, output);
      return this.step(state, input, output)[0];
    },
    describeOperation(input, output) {
      if (input.f !== "cas") return describeRegisterOp(input, output);
      return `cas(${show(input.expected)}, ${show(input.value)}) → ${output === UNKNOWN ? "?" : "ok"}`;
    },
    describeState: show,
    fromOp: readCasOp,
  };
}
