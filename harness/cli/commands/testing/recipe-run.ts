/**
 * Test fixture (check.test.ts, report.test.ts): a run folder as `zk-chaos run --workload
 * ./examples/lease-lock/lease-lock.ts` leaves it — test.json naming the recipe's module, history.jsonl and
 * resource.jsonl of two clients' critical sections — without results.json unless given one.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The example recipe's module, as a run records it (an absolute path). */
export const LEASE_LOCK_MODULE = fileURLToPath(
  new URL("../../../../examples/lease-lock/lease-lock.ts", import.meta.url),
);
const KEY = "lease-lock-counter";
const ms = 1_000_000;
const jsonl = (xs: readonly object[]) => xs.map((x) => `${JSON.stringify(x)}\n`).join("");

export interface LeaseLockRunOptions {
  /** Whether the two sections overlap (both read 0: an increment is lost), as a paused lease holder's do. */
  readonly overlap: boolean;
  readonly variant?: string;
  /** test.json's workloadModule (default: the example's). */
  readonly module?: string;
  /** results.json as the run wrote it (default: none, as when the harness was killed before checking). */
  readonly results?: object;
}

/** Write the run folder `dir`. */
export function writeLeaseLockRun(dir: string, o: LeaseLockRunOptions): void {
  mkdirSync(dir, { recursive: true });
  const test = {
    workload: "lease-lock",
    variant: o.variant ?? "lease",
    workloadModule: o.module ?? LEASE_LOCK_MODULE,
    nemesis: ["client-pause"],
    seed: 1,
    clients: 2,
  };
  writeFileSync(join(dir, "test.json"), JSON.stringify(test));
  // c0 holds [10, 30] ms; c1 enters at 20 ms (overlap) or 40 ms (after c0's exit).
  const c1 = o.overlap ? 20 : 40;
  const c1Read = o.overlap ? 0 : 1;
  const sections = [
    { slot: 0, token: "4294967301", enter: 10, exit: 30, read: 0 },
    { slot: 1, token: "4294967309", enter: c1, exit: c1 + 20, read: c1Read },
  ];
  const events = sections
    .flatMap((s) => [
      { op: "enter", at: s.enter, s, extra: { read: s.read } },
      { op: "exit", at: s.exit, s, extra: { value: s.read + 1 } },
    ])
    .sort((a, b) => a.at - b.at)
    .map(({ op, at, s, extra }, seq) => ({
      op,
      key: KEY,
      holder: `c${s.slot}/0x10000${s.slot}`,
      process: s.slot,
      section: s.token,
      seq,
      time: at * ms,
      accepted: true,
      applied: op === "exit",
      ...extra,
    }));
  writeFileSync(join(dir, "resource.jsonl"), jsonl(events));
  let index = 0;
  const history = sections
    .flatMap((s) => [
      { at: s.enter - 5, process: s.slot, type: "invoke", f: "critical", value: { holdMs: 100 } },
      {
        at: s.exit + 1,
        process: s.slot,
        type: "ok",
        f: "critical",
        value: { read: s.read, wrote: s.read + 1, token: s.token },
      },
    ])
    .sort((a, b) => a.at - b.at)
    .map(({ at, ...op }) => ({ index: index++, time: at * ms, ...op }));
  writeFileSync(join(dir, "history.jsonl"), jsonl(history));
  if (o.results) writeFileSync(join(dir, "results.json"), JSON.stringify(o.results));
}
