/**
 * Test helper: build histories compactly. Each event is `[process, type, f, value]` (time = 10 × position,
 * index = position) or `[process, type, f, value, time]`; extra fields go in an optional sixth element.
 */
import type { Op, OpType, ProcessId } from "../../kernel/op.ts";

/** One event: process, type, f, value, optional time, optional extra fields. */
export type Ev = readonly [ProcessId, OpType, string, unknown, number?, Record<string, unknown>?];

/** Build a history from events in order. */
export function history(...events: Ev[]): Op[] {
  return events.map(([process, type, f, value, time, extra], i) => ({
    ...(extra ?? {}),
    index: i,
    time: time ?? 10 * i,
    process,
    type,
    f,
    value,
  }));
}

/** invoke + completion of one op, back to back (a sequential op). */
export function seq(
  process: number,
  f: string,
  invokeValue: unknown,
  type: OpType,
  value: unknown = invokeValue,
): Ev[] {
  return [
    [process, "invoke", f, invokeValue],
    [process, type, f, value],
  ];
}

/** A runner's phase mark (kernel/op.ts), as the runner writes it: a nemesis invoke + info pair. */
export function mark(m: "main" | "final" | "done"): Ev[] {
  return [
    ["nemesis", "invoke", "phase", m],
    ["nemesis", "info", "phase", m],
  ];
}
