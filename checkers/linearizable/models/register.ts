/**
 * A read/write register (Knossos `register`): `read` returns the value, `write v` sets it. Starts as
 * `initial` (default null, Jepsen's nil). Values compare by canonical encoding.
 */
import type { Op } from "../../../kernel/op.ts";
import { UNKNOWN } from "../model.ts";
import type { Model, ReadOp, Unknown } from "../model.ts";
import { canonical, sameValue, show } from "../../values.ts";

/** Register operations: `read` (output: the value read) and `write` (input value). */
export type RegisterInput = { readonly f: "read" } | { readonly f: "write"; readonly value: unknown };

/** Hash of a register value: numbers as themselves, the rest by canonical encoding. */
export const valueHash = (v: unknown): string | number =>
  typeof v === "number" ? v : v === undefined || v === null ? "null" : canonical(v);

/** Read a read or write op; anything else is not for this model. */
export function readRegisterOp(
  invoke: Op,
  completion: Op | undefined,
): ReadOp<RegisterInput, unknown> | null {
  if (invoke.f === "read")
    return { input: { f: "read" }, output: completion ? (completion.value ?? null) : UNKNOWN };
  if (invoke.f === "write") return { input: { f: "write", value: invoke.value ?? null }, output: null };
  return null;
}

/** Describe a read or write. */
export function describeRegisterOp(input: RegisterInput, output: unknown): string {
  if (input.f === "read") return `read() → ${output === UNKNOWN ? "?" : show(output)}`;
  return `write(${show(input.value)})${output === UNKNOWN ? " → ?" : ""}`;
}

/** The register model; `initial` is the value before any write. */
export function register(initial: unknown = null): Model<unknown, RegisterInput, unknown> {
  return {
    name: "register",
    init: () => initial,
    step(state, input, output: unknown | Unknown) {
      if (input.f === "write") return [true, input.value];
      return [output === UNKNOWN || sameValue(state, output), state];
    },
    equal: sameValue,
    hash: valueHash,
    readOnly: (input) => input.f === "read",
    accepts: (state, input, output) => input.f !== "read" || output === UNKNOWN || sameValue(state, output),
    describeOperation: describeRegisterOp,
    describeState: show,
    fromOp: readRegisterOp,
  };
}
