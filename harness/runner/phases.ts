/**
 * The phases of a run once everything is up: the main phase (clients run ops at the paced rate while the
 * nemesis starts and stops faults on its schedule), the heal, and the final phase (quorum, then each
 * client's final ops). Every op and fault goes into the history as it happens.
 */
import {
  afterHealBoundMs,
  PROBE_F,
  sessionsLetGo,
  type AfterHealChecker,
} from "../../checkers/after-heal.ts";
import type { RunCluster } from "../../kernel/cluster.ts";
import type { Clock } from "../../kernel/clock.ts";
import type { Logger } from "../../kernel/log.ts";
import { PHASE_F, type PhaseMark } from "../../kernel/op.ts";
import { Random } from "../../kernel/random.ts";
import type { OpRequest, Workload } from "../../workloads/workload.ts";
import type { HistoryWriter } from "../history/writer.ts";
import type { FaultEvent, Nemesis, NemesisContext } from "../nemesis/nemesis.ts";
import type { ClientPool } from "../worker/client-pool.ts";
import { Pacer, sleep } from "./pacer.ts";
import type { InFlightWrites } from "./in-flight.ts";
import type { TestSpec } from "./test-spec.ts";

export interface RunProgress {
  phase: string;
  opsDone: number;
  faultsActive: string[];
  secondsLeft: number;
}

/** What the phases act on. */
export interface PhaseContext {
  readonly spec: TestSpec;
  readonly workload: Workload;
  readonly cluster: RunCluster;
  readonly pool: ClientPool;
  /** One entry per `--nemesis` item: its faults, overlapping in time (`a+b`); entries alternate. */
  readonly nemeses: readonly (readonly Nemesis[])[];
  readonly nemesis: NemesisContext;
  readonly history: HistoryWriter;
  readonly clock: Clock;
  readonly progress: RunProgress;
  readonly log: Logger;
  /** Record ops in the history (the runner bench turns it off to measure its cost). */
  readonly record: boolean;
  /** Aborted: the main phase ends early (SIGINT) and the final phase is skipped. */
  readonly signal?: AbortSignal;
  /** Told how late each paced dispatch woke (the run's health). */
  readonly onPacerLag?: (lagMs: number) => void;
  /** Told of each write's invoke and reply (what lost-replies aims at). */
  readonly inFlight?: InFlightWrites;
}

/**
 * Runs one client slot's ops; an op that ends `info` retires its process number (Jepsen). A client crash
 * rides on its op's completion; the crash that stops a slot ends that slot's ops for the rest of the run.
 */
export class OpRunner {
  private readonly procs: number[];
  private readonly stopped = new Set<number>();

  constructor(private readonly c: PhaseContext) {
    this.procs = [...c.pool.slots];
  }

  /** Resolves with the op's outcome type. */
  async run(slot: number, op: OpRequest): Promise<"ok" | "fail" | "info"> {
    const { pool, history, record, spec } = this.c;
    const process = this.procs[slot]!;
    await this.c.inFlight?.beforeInvoke(slot, op.f);
    const done = await pool.invoke(slot, process, op, (time) => {
      this.c.inFlight?.begin(slot, op.f);
      if (record) history.append({ time, type: "invoke", process, f: op.f, value: op.value ?? null });
    });
    this.c.inFlight?.end(slot, done.node);
    if (record)
      history.append({
        time: done.time,
        type: done.outcome.type,
        process,
        f: op.f,
        value: done.outcome.value ?? (done.outcome.type === "ok" ? null : (op.value ?? null)),
        ...(done.session ? { session: done.session } : {}),
        ...(done.node ? { node: done.node } : {}),
        ...(done.zxid ? { zxid: done.zxid } : {}),
        ...(done.zxidPath !== undefined ? { zxidPath: done.zxidPath } : {}),
        ...(done.outcome.error ? { error: done.outcome.error } : {}),
        ...(done.crash ? { crash: done.crash } : {}),
      });
    this.c.progress.opsDone++;
    if (done.outcome.type === "info") this.procs[slot] = process + spec.clients;
    if (done.crash?.retired) this.stopped.add(slot);
    return done.outcome.type;
  }

  /** The slot still runs ops (its client has not crashed too often). */
  live(slot: number): boolean {
    return !this.stopped.has(slot);
  }
}

/** The main phase; resolves with its ops per second once every client loop has ended and faults are healed. */
export async function mainPhase(c: PhaseContext, ops: OpRunner): Promise<number> {
  const { spec, pool, workload, progress } = c;
  progress.phase = "running";
  markPhase(c, "main");
  const random = new Random(spec.seed).fork("ops");
  let n = 0;
  let done = 0;
  const started = performance.now();
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  // Removed at the end: a campaign or a bench passes one signal to every run.
  c.signal?.addEventListener("abort", onAbort, { once: true });
  if (c.signal?.aborted) stop.abort(); // aborted while starting: no main phase
  const endTimer = setTimeout(() => stop.abort(), spec.timeLimit * 1000);
  const countdown = setInterval(() => {
    progress.secondsLeft = Math.max(0, Math.round(spec.timeLimit - (performance.now() - started) / 1000));
  }, 500);
  const pacer = new Pacer(spec.rate, { onLag: c.onPacerLag });
  const clientLoops = pool.slots.map(async (slot) => {
    while (!stop.signal.aborted && ops.live(slot)) {
      await pacer.next();
      if (stop.signal.aborted) break;
      await ops.run(slot, workload.nextOp(random, n++));
      done++;
    }
  });
  // A failing loop (a worker died, the history cannot be written) ends the main phase; awaiting it rethrows.
  for (const loop of clientLoops) loop.catch(() => stop.abort());
  try {
    await nemesisSchedule(c, stop.signal);
  } catch (err) {
    stop.abort();
    throw err;
  } finally {
    clearTimeout(endTimer);
    clearInterval(countdown);
    // Heal before waiting for clients: an op stuck on a blackholed link finishes once the link heals.
    progress.phase = "healing";
    await healAll(c.nemeses.flat(), c.nemesis, c.log);
    progress.faultsActive = [];
    c.signal?.removeEventListener("abort", onAbort);
  }
  await Promise.all(clientLoops);
  return done / Math.max((performance.now() - started) / 1000, 1e-9);
}

/** Seconds into the main phase when the first fault starts (at most one interval). */
export const FIRST_FAULT_S = 3;

/** One fault every interval, each held for its own duration or the interval, until the phase ends. */
async function nemesisSchedule(c: PhaseContext, stop: AbortSignal): Promise<void> {
  const { spec, nemeses, progress } = c;
  if (nemeses.length === 0) return sleep(spec.timeLimit * 1000, stop);
  // Entries take turns from a seeded starting point, so a 60-s run of `a,b` gets both (a random pick
  // could draw the same one three times).
  let turn = new Random(spec.seed).fork("schedule").int(0, nemeses.length - 1);
  let steps = 0;
  while (!stop.aborted) {
    if (spec.faults !== undefined && steps >= spec.faults) return sleep(spec.timeLimit * 1000, stop);
    // The first fault comes once clients hold sessions (a few seconds), not a whole interval in: a 30-s run
    // gets its faults early, and a violation can show within the first ten seconds.
    await sleep(
      (steps++ === 0 ? Math.min(FIRST_FAULT_S, spec.nemesisInterval) : spec.nemesisInterval) * 1000,
      stop,
    );
    if (stop.aborted) break;
    const group = nemeses[turn++ % nemeses.length]!;
    // Composed (a+b, as Jepsen composes nemeses): every fault of the group in, in order, then all out.
    const durations: number[] = [];
    for (const nemesis of group) {
      if (stop.aborted) break;
      const started = await faultEvent(c, () => nemesis.start(c.nemesis));
      progress.faultsActive = [...progress.faultsActive, nemesis.name];
      // A pause sized against the session timeout says how long it must last.
      durations.push(started?.durationMs ?? spec.nemesisInterval * 1000);
    }
    await sleep(Math.max(...durations, 0), stop);
    for (const nemesis of [...group].reverse()) await faultEvent(c, () => nemesis.stop(c.nemesis));
    progress.faultsActive = [];
  }
}

/** Pause between tries of a final op that did not succeed. */
const RETRY_PAUSE_MS = 250;

/**
 * After the heal: wait for a quorum, then each client's final ops (reads, drains). A final op that does not
 * succeed is tried again until some client's op of the same f has, or the after-heal bound has passed since
 * the phase began (a lock nobody can take shows as tries until the bound). Skipped when aborted.
 */
export async function finalPhase(c: PhaseContext, ops: OpRunner): Promise<void> {
  if (c.signal?.aborted) return;
  c.progress.phase = "final phase";
  const runBound = c.spec.afterHealBoundMs;
  markPhase(c, "final", runBound !== undefined ? { boundMs: runBound } : {});
  const until = performance.now() + finalBoundMs(c);
  const succeeded = new Set<string>();
  try {
    await c.cluster.waitForQuorum({ timeoutMs: 60_000 });
  } catch (err) {
    c.log.warn({ err: String(err) }, "no quorum after healing");
  }
  await Promise.all(
    c.pool.slots.map(async (slot) => {
      for (const given of c.workload.finalOps?.(slot, c.spec.clients) ?? []) {
        // Decided when the slot gets to it: the final ops before it may have let a session go.
        const op = given.f === PROBE_F ? probeFor(c) : given;
        while (ops.live(slot)) {
          if ((await ops.run(slot, op)) === "ok") succeeded.add(op.f);
          if (succeeded.has(op.f) || performance.now() >= until || c.signal?.aborted) break;
          await sleep(RETRY_PAUSE_MS);
        }
      }
    }),
  );
  markPhase(c, "done");
}

/**
 * The after-heal probe: it waits a session timeout before it lists (the default), unless no session was let
 * go so far (checkers/after-heal.ts): then it lists at once, and the checker judges that listing too, unless
 * a session is let go after it.
 */
function probeFor(c: PhaseContext): OpRequest {
  const held = new Set(c.pool.slots.map((slot) => c.pool.session(slot)));
  const letGo = c.record ? sessionsLetGo(c.history.history(), held) : "history not recorded";
  c.log.debug({ letGo }, letGo === null ? "probe lists at once" : "probe waits a session timeout");
  return { f: PROBE_F, value: letGo === null ? { waitMs: 0 } : null };
}

/**
 * How long the final phase tries, as the after-heal checker will judge it: the run's bound, else the
 * workload's own (its after-heal checker's), else the session timeout + 25 s.
 */
export function finalBoundMs(c: Pick<PhaseContext, "spec" | "workload">): number {
  if (c.spec.afterHealBoundMs !== undefined) return c.spec.afterHealBoundMs;
  const own = c.workload
    .checkers(c.spec.variant, [])
    .find((k): k is AfterHealChecker => k.name === "after-heal");
  return own?.boundMs ?? afterHealBoundMs(c.spec.sessionTimeoutMs);
}

/**
 * Where a phase starts, and that the final one completed: without "done" the history reads as cut. The
 * final mark carries the run's after-heal bound when it was given.
 */
function markPhase(c: PhaseContext, mark: PhaseMark, extra: { boundMs?: number } = {}): void {
  if (!c.record) return;
  const time = c.clock.now();
  c.history.append({ time, type: "invoke", process: "nemesis", f: PHASE_F, value: mark, ...extra });
  c.history.append({ time, type: "info", process: "nemesis", f: PHASE_F, value: mark, ...extra });
}

/** Start or stop a fault and record it as a nemesis op; a fault that fails is recorded and logged. */
async function faultEvent(c: PhaseContext, act: () => Promise<FaultEvent>): Promise<FaultEvent | null> {
  const { history, clock } = c;
  const t0 = clock.now();
  try {
    const ev = await act();
    history.append({ time: t0, type: "invoke", process: "nemesis", f: ev.f, value: null });
    history.append({ time: clock.now(), type: "info", process: "nemesis", f: ev.f, value: ev.value ?? null });
    return ev;
  } catch (err) {
    c.log.warn({ err: String(err) }, "nemesis action failed");
    history.append({ time: t0, type: "invoke", process: "nemesis", f: "fault", value: null });
    history.append({
      time: clock.now(),
      type: "info",
      process: "nemesis",
      f: "fault",
      value: null,
      error: String(err),
    });
    return null;
  }
}

/** Leave the cluster whole: every nemesis heals what it may have touched, every client is resumed. */
export async function healAll(nemeses: readonly Nemesis[], ctx: NemesisContext, log: Logger): Promise<void> {
  for (const n of nemeses) {
    try {
      await n.heal(ctx);
    } catch (err) {
      log.error({ nemesis: n.name, err: String(err) }, "heal failed");
    }
  }
  for (const slot of ctx.clients.slots) await ctx.clients.resume(slot).catch(() => undefined);
}
