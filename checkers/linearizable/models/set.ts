/**
 * A set (Knossos `set`): `add v` inserts v; `read` returns every element (any order, as a list or set).
 * Adds only grow the set, which gives the search a read lookahead.
 */
import type { Op } from "../../../kernel/op.ts";
import { UNKNOWN } from "../model.ts";
import type { Model, ReadOp } from "../model.ts";
import { canonical, show } from "../../values.ts";

/** Set operations; values by canonical encoding. */
export type SetInput = { readonly f: "add"; readonly value: string } | { readonly f: "read" };

const SEP = "\u0000";

function readSetOp(invoke: Op, completion: Op | undefined): ReadOp<SetInput, string> | null {
  if (invoke.f === "add") return { input: { f: "add", value: canonical(invoke.value) }, output: "" };
  if (invoke.f !== "read") return null;
  if (!completion) return { input: { f: "read" }, output: UNKNOWN };
  const v = completion.value;
  const xs = Array.isArray(v) ? v : v === null || v === undefined ? [] : [v];
  return { input: { f: "read" }, output: [...new Set(xs.map(canonical))].sort().join(SEP) };
}

/** The set model; the state is its sorted elements joined by NUL (`initial`: the elements at the start). */
export function set(initial: readonly unknown[] = []): Model<string, SetInput, string> {
  const start = [...new Set(initial.map(canonical))].sort().join(SEP);
  return {
    name: "set",
    init: () => start,
    step(s, input, output) {
      if (input.f === "read") return [output === UNKNOWN || output === s, s];
      const xs = s === "" ? [] : s.split(SEP);
      if (xs.includes(input.value)) return [true, s];
      xs.push(input.value);
      return [true, xs.sort().join(SEP)];
    },
    hash: (s) => s,
    equal: (a, b) => a === b,
    readOnly: (input) => input.f === "read",
    // lookahead: adds only grow the set, so a read still to come must see at least what is there now
    growOnly: (input) => input.f === "add",
    canStillRead(s, input, output) {
      if (input.f !== "read" || s === "") return true;
      const seen = new Set(output === "" ? [] : output.split(SEP));
      return s.split(SEP).every((x) => seen.has(x));
    },
    describeOperation(input, output) {
      if (input.f === "add") return `add(${input.value})${output === UNKNOWN ? " → ?" : ""}`;
      return `read() → ${output === UNKNOWN ? "?" : `#{${output.split(SEP).join(" ")}}`}`;
    },
    describeState: (s) => show(s === "" ? [] : s.split(SEP).map((x) => JSON.parse(x) as unknown)),
    fromOp: readSetOp,
  };
}
