/**
 * A mutex (Knossos `mutex`): `acquire` succeeds only when free, `release` only when held. Who holds it is
 * not tracked — after an `info` a worker continues under a new process id, so owners cannot be matched.
 * An indeterminate acquire (release) takes effect iff the lock is free (held) where it is linearized.
 */
import type { Op } from "../../../kernel/op.ts";
import { UNKNOWN } from "../model.ts";
import type { Model, ReadOp } from "../model.ts";

/** Mutex operations. */
export type MutexInput = "acquire" | "release";

function readMutexOp(invoke: Op, completion: Op | undefined): ReadOp<MutexInput, null> | null {
  if (invoke.f !== "acquire" && invoke.f !== "release") return null;
  return { input: invoke.f, output: completion ? null : UNKNOWN };
}

/** The mutex model; the state is true while held (`held`: at the start). */
export function mutex(held = false): Model<boolean, MutexInput, null> {
  return {
    name: "mutex",
    init: () => held,
    step(held, input, output) {
      const wants = input === "acquire";
      if (held !== wants) return [true, wants]; // acquire when free, release when held
      return [output === UNKNOWN, held]; // an unknown op that cannot take effect here did not
    },
    hash: (held) => (held ? 1 : 0),
    equal: (a, b) => a === b,
    describeOperation: (input, output) => `${input}()${output === UNKNOWN ? " → ?" : ""}`,
    describeState: (held) => (held ? "held" : "free"),
    fromOp: readMutexOp,
  };
}
