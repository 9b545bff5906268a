/**
 * An unordered queue (Knossos `unordered-queue`): `enqueue v`; `dequeue` returns any queued value, or null
 * when empty. An indeterminate dequeue may have removed any one element, so the state is the set of
 * multisets the queue may hold (a deterministic model over possibilities, as Porcupine does for
 * nondeterministic models). Each multiset is its sorted elements joined by NUL; the set is sorted.
 */
import { UNKNOWN } from "../model.ts";
import type { Model } from "../model.ts";
import { canonical, show } from "../../values.ts";
import { describeQueueOp, readQueueOp } from "./fifo-queue.ts";
import type { QueueInput } from "./fifo-queue.ts";

const SEP = "\u0000";
const split = (m: string): string[] => (m === "" ? [] : m.split(SEP));
const join = (xs: readonly string[]): string => xs.join(SEP);

function add(m: string, v: string): string {
  const xs = split(m);
  let i = 0;
  while (i < xs.length && xs[i]! < v) i++;
  xs.splice(i, 0, v);
  return join(xs);
}

function removeOne(m: string, v: string): string | null {
  const xs = split(m);
  const i = xs.indexOf(v);
  if (i < 0) return null;
  xs.splice(i, 1);
  return join(xs);
}

const normalize = (ms: Iterable<string>): readonly string[] => [...new Set(ms)].sort();

/** The unordered queue model (`initial`: queued at the start). */
export function unorderedQueue(
  initial: readonly unknown[] = [],
): Model<readonly string[], QueueInput, string | null> {
  const start = [join(initial.map(canonical).sort())];
  return {
    name: "unordered-queue",
    init: () => start,
    step(set, input, output) {
      if (input.f === "enqueue") return [true, normalize(set.map((m) => add(m, input.value)))];
      if (output === UNKNOWN) {
        const out: string[] = [];
        for (const m of set) {
          if (m === "") out.push(m);
          else for (const v of new Set(split(m))) out.push(removeOne(m, v)!);
        }
        return [true, normalize(out)];
      }
      if (output === null) return set.includes("") ? [true, [""]] : [false, set];
      const out: string[] = [];
      for (const m of set) {
        const r = removeOne(m, output);
        if (r !== null) out.push(r);
      }
      return out.length > 0 ? [true, normalize(out)] : [false, set];
    },
    hash: (set) => set.join("\u0001"),
    equal: (a, b) => a.length === b.length && a.every((x, i) => x === b[i]),
    describeOperation: describeQueueOp,
    describeState: (set) => set.map((m) => show(split(m).map((x) => JSON.parse(x) as unknown))).join(" | "),
    fromOp: readQueueOp,
  };
}
