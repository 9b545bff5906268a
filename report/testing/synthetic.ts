/**
 * Test and bench helper: a run folder with a made-up but realistic lock run — clients doing `critical`
 * ops, partitions and client pauses, info ops during faults, a resource log with one injected overlap —
 * judged by the real checkers. `payload` is put into every free-text place (values, errors, names) for
 * injection tests.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { checkLockSafety } from "../../checkers/lock-safety.ts";
import type { CheckResult } from "../../checkers/checker.ts";
import type { ResourceEvent } from "../../kernel/resource.ts";
import { checkStats } from "../../checkers/stats.ts";
import { type Op, isClientOp } from "../../kernel/op.ts";

export interface SyntheticOptions {
  /** Client operations (invoke + completion each). */
  readonly ops: number;
  readonly clients?: number;
  /** Seconds the ops are spread over (default: about 2 ms of think time per op and client). */
  readonly seconds?: number;
  readonly seed?: number;
  /** A string put into values, errors and names (e.g. `<script>…</script>`). */
  readonly payload?: string;
  /** Leave out results.json (a run that died before checking). */
  readonly withoutResults?: boolean;
  /** test.json's startedAt (default 2025-01-01T02:00:00Z). */
  readonly startedAt?: string;
  /** Extra checker results to add to results.json. */
  readonly extraCheckers?: Record<string, CheckResult>;
}

/** A small deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Write the run folder; returns the history and resource log it wrote. */
export function writeSyntheticRun(
  dir: string,
  opts: SyntheticOptions,
): { history: Op[]; resource: ResourceEvent[] } {
  const clients = opts.clients ?? 5;
  const rnd = prng(opts.seed ?? 1);
  const perClient = Math.ceil(opts.ops / clients);
  const seconds = opts.seconds ?? Math.max(10, (perClient * 4) / 1000);
  const NS = 1e9;
  const start = 2 * NS; // ensemble start before the first op
  const end = start + seconds * NS;
  const payload = opts.payload ?? "";
  const step = (seconds * NS) / perClient;
  // fault schedule: alternating partition and client pause windows
  const windows: { f: string; stop: string; from: number; to: number; value: unknown }[] = [];
  const interval = Math.max(1, seconds / 8) * NS;
  for (let t = start + interval, k = 0; t + interval / 2 < end; t += interval * 1.5, k++) {
    windows.push(
      k % 2 === 0
        ? {
            f: "start-partition",
            stop: "stop-partition",
            from: t,
            to: t + interval * 0.8,
            value: {
              shape: "halves",
              groups: [["zk1", "zk2"], ["zk3"]],
              grudge: {},
              mode: "blackhole",
              links: 8,
              note: payload || undefined,
            },
          }
        : {
            f: "pause-client",
            stop: "resume-client",
            from: t,
            to: t + interval * 0.8,
            value: { slot: k % clients, durationMs: 8000, mode: "signal" },
          },
    );
  }
  const inFault = (t: number) => windows.some((w) => w.from <= t && t <= w.to);
  const events: Mutable<Op>[] = [];
  for (let slot = 0; slot < clients; slot++) {
    let process = slot;
    let t = start + rnd() * 1e6;
    for (let i = 0; i < perClient && events.length / 2 < opts.ops; i++) {
      const faulty = inFault(t);
      const lat = faulty && rnd() < 0.3 ? 5e8 + rnd() * 2e9 : (1 + rnd() * 4 + (rnd() < 0.01 ? 50 : 0)) * 1e6;
      const r = rnd();
      const type = faulty ? (r < 0.5 ? "info" : r < 0.7 ? "fail" : "ok") : r < 0.995 ? "ok" : "fail";
      const value = { holdMs: 50 + Math.floor(rnd() * 150), ...(payload ? { note: payload } : {}) };
      events.push({ index: 0, time: Math.round(t), type: "invoke", process, f: "critical", value });
      events.push({
        index: 0,
        time: Math.round(t + lat),
        type,
        process,
        f: "critical",
        value: type === "ok" ? { token: 4294967296 + i, read: i } : value,
        session: `0x10000${slot}f3a2b000${slot}`,
        ...(type !== "ok"
          ? { error: type === "info" ? `ZCONNECTIONLOSS${payload}` : `ZNONODE${payload}` }
          : {}),
      });
      if (type === "info") process += clients;
      t += Math.max(lat + 1e5, step * (0.5 + rnd()));
    }
  }
  for (const w of windows) {
    events.push({ index: 0, time: w.from - 1e6, type: "invoke", process: "nemesis", f: w.f, value: null });
    events.push({ index: 0, time: w.from, type: "info", process: "nemesis", f: w.f, value: w.value });
    events.push({ index: 0, time: w.to - 1e6, type: "invoke", process: "nemesis", f: w.stop, value: null });
    events.push({ index: 0, time: w.to, type: "info", process: "nemesis", f: w.stop, value: null });
  }
  events.sort((a, b) => a.time - b.time);
  events.forEach((e, i) => (e.index = i));
  const history = events as Op[];

  // Resource log: serialised sections of ok ops, plus one overlap injected mid-run.
  const resource: ResourceEvent[] = [];
  let free = 0;
  let seq = 0;
  const oks = history.filter((o) => o.type === "ok" && isClientOp(o));
  const inject = Math.floor(oks.length / 2);
  oks.forEach((o, k) => {
    let slot = (o.process as number) % clients;
    // the injected section must be another holder's than the one it overlaps
    if (
      k === inject &&
      resource.length > 0 &&
      String(resource[resource.length - 1]!.holder).startsWith(`c${slot}/`)
    )
      slot = (slot + 1) % clients;
    const holder = `c${slot}/0x10000${slot}f3a2b000${slot}${k === inject ? payload : ""}`;
    const a = o.time - 8e5;
    const b = o.time - 1e5;
    if (k === inject && resource.length >= 2) {
      // a holder whose section started before the previous one ended
      const prev = resource[resource.length - 1]!;
      const s0 = prev.time - 2e5;
      resource.push({
        seq: seq++,
        time: s0,
        holder,
        op: "enter",
        key: "lock-counter",
        accepted: true,
        section: `s${k}`,
        read: k,
        process: o.process as number,
      });
      resource.push({
        seq: seq++,
        time: Math.max(b, s0 + 1e6),
        holder,
        op: "exit",
        key: "lock-counter",
        accepted: true,
        section: `s${k}`,
        value: k + 1,
        process: o.process as number,
      });
      free = Math.max(b, s0 + 1e6);
      return;
    }
    if (a < free) return;
    resource.push({
      seq: seq++,
      time: a,
      holder,
      op: "enter",
      key: "lock-counter",
      accepted: true,
      section: `s${k}`,
      read: k,
      process: o.process as number,
    });
    resource.push({
      seq: seq++,
      time: b,
      holder,
      op: "exit",
      key: "lock-counter",
      accepted: true,
      section: `s${k}`,
      value: k + 1,
      process: o.process as number,
    });
    free = b;
  });

  mkdirSync(join(dir, "nodes"), { recursive: true });
  const test = {
    workload: "lock",
    variant: `naive${payload}`,
    nodes: 3,
    clients,
    client: "zookeeper",
    timeLimit: seconds,
    rate: 0,
    nemesis: ["partition", "client-pause"],
    nemesisInterval: 10,
    partitionMode: "blackhole",
    seed: opts.seed ?? 1,
    results: "results",
    sessionTimeoutMs: 4000,
    tickTimeMs: 500,
    images: { zookeeper: "zookeeper:3.9.3", proxy: "ghcr.io/shopify/toxiproxy:2.12.0" },
    startedAt: opts.startedAt ?? new Date(Date.UTC(2025, 0, 1, 2, 0, 0)).toISOString(),
  };
  writeFileSync(join(dir, "test.json"), JSON.stringify(test, null, 2));
  writeFileSync(join(dir, "history.jsonl"), history.map((o) => JSON.stringify(o)).join("\n") + "\n");
  writeFileSync(join(dir, "resource.jsonl"), resource.map((o) => JSON.stringify(o)).join("\n") + "\n");
  writeFileSync(join(dir, "harness.log"), "");
  for (const n of ["zk1", "zk2", "zk3"]) writeFileSync(join(dir, "nodes", `${n}.log`), "");
  if (!opts.withoutResults) {
    const checkers: Record<string, CheckResult> = {
      "lock-safety": checkLockSafety(resource),
      ...(opts.extraCheckers ?? {}),
      stats: checkStats(history),
    };
    const valid = Object.values(checkers).some((c) => c.valid === false)
      ? false
      : Object.values(checkers).some((c) => c.valid === "unknown")
        ? "unknown"
        : true;
    writeFileSync(
      join(dir, "results.json"),
      JSON.stringify({ valid, checkers, stats: { ops: opts.ops, ok: oks.length } }, null, 2),
    );
  }
  return { history, resource };
}
