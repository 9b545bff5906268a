/**
 * A FIFO queue (Knossos `fifo-queue`): `enqueue v`; `dequeue` returns the head, or null (nil) when empty.
 * An indeterminate dequeue removes the head if there is one.
 */
import type { Op } from "../../../kernel/op.ts";
import { UNKNOWN } from "../model.ts";
import type { Model, ReadOp } from "../model.ts";
import { canonical, show } from "../../values.ts";

/** Queue operations (values by canonical encoding, so any JSON value can be queued). */
export type QueueInput = { readonly f: "enqueue"; readonly value: string } | { readonly f: "dequeue" };

/** Read enqueue/dequeue ops: the output of a dequeue is its value's canonical encoding, or null if empty. */
export function readQueueOp(
  invoke: Op,
  completion: Op | undefined,
): ReadOp<QueueInput, string | null> | null {
  if (invoke.f === "enqueue")
    return { input: { f: "enqueue", value: canonical(invoke.value) }, output: null };
  if (invoke.f !== "dequeue") return null;
  if (!completion) return { input: { f: "dequeue" }, output: UNKNOWN };
  const v = completion.value;
  return { input: { f: "dequeue" }, output: v === null || v === undefined ? null : canonical(v) };
}

/** Describe a queue op (values are canonical encodings). */
export function describeQueueOp(input: QueueInput, output: string | null | typeof UNKNOWN): string {
  if (input.f === "enqueue") return `enqueue(${input.value})${output === UNKNOWN ? " → ?" : ""}`;
  return `dequeue() → ${output === UNKNOWN ? "?" : output === null ? "empty" : output}`;
}

/** The FIFO queue model; the state is the queued values, head first (`initial`: queued at the start). */
export function fifoQueue(
  initial: readonly unknown[] = [],
): Model<readonly string[], QueueInput, string | null> {
  const start = initial.map(canonical);
  return {
    name: "fifo-queue",
    init: () => start,
    step(q, input, output) {
      if (input.f === "enqueue") return [true, [...q, input.value]];
      if (output === UNKNOWN) return [true, q.length === 0 ? q : q.slice(1)];
      if (output === null) return [q.length === 0, q];
      return [q.length > 0 && q[0] === output, q.slice(1)];
    },
    hash: (q) => q.join("\u0000"),
    equal: (a, b) => a.length === b.length && a.every((x, i) => x === b[i]),
    describeOperation: describeQueueOp,
    describeState: (q) => show(q.map((x) => JSON.parse(x) as unknown)),
    fromOp: readQueueOp,
  };
}
