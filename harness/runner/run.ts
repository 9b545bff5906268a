/**
 * runTest: the lifecycle of one test, as nested scopes (Jepsen's core/run!): results folder → ensemble
 * with proxies → guarded resource → client workers → main phase (ops + nemesis schedule) → final phase
 * (heal, quorum, final ops) → teardown → check → results.json. The history is appended as it happens, so
 * whatever stops the run, what was recorded stays.
 */
import { join } from "node:path";
import type { Checker, ComposedResult } from "../../checkers/checker.ts";
import { compose } from "../../checkers/checker.ts";
import { stats as perfStats } from "../../checkers/stats.ts";
import { chaosCluster } from "../../docker/chaos-cluster.ts";
import { ensureImages } from "../../docker/images.ts";
import { ZooKeeperEnsemble, type StartedZooKeeperEnsemble } from "../../docker/zookeeper-ensemble.ts";
import type { OpRequest, Workload } from "../../workloads/workload.ts";
import { monotonicClock, type Clock } from "../core/clock.ts";
import { BadInputError } from "../core/errors.ts";
import { logger, logToFile } from "../core/log.ts";
import { Random } from "../core/random.ts";
import { HistoryWriter } from "../history/writer.ts";
import type { FaultEvent, Nemesis, NemesisContext } from "../nemesis/nemesis.ts";
import { nemesisByName } from "../nemesis/registry.ts";
import { ResourceServer } from "../resource/resource-server.ts";
import { WorkerPool } from "../worker/worker-pool.ts";
import { Pacer, sleep } from "./pacer.ts";
import { RunStore } from "./store.ts";
import { DEFAULT_SPEC, validateSpec, type TestSpec } from "./test-spec.ts";
import { writeReport } from "../../report/report-page.ts";
import { writeResultsIndex } from "../../report/results-index.ts";
import { checkClientModule, resolveWorkload, workloadModuleOf } from "./load-workload.ts";

export interface RunProgress {
  phase: string;
  opsDone: number;
  faultsActive: string[];
  secondsLeft: number;
}

export interface RunOptions {
  /** Called about once a second with where the run is. */
  onProgress?: (p: RunProgress) => void;
  /** Abort the run early (SIGINT): the run heals, tears down and still checks what it recorded. */
  signal?: AbortSignal;
  /** Record the history (on by default; the runner bench turns it off to measure its cost). */
  recordHistory?: boolean;
  /** Use this workload object instead of looking the name up (users' own recipes). */
  workload?: Workload;
}

export interface RunOutcome {
  spec: TestSpec;
  dir: string;
  results: ComposedResult & { stats: Record<string, unknown> };
  /** ops/s over the main phase. */
  throughput: number;
}

/** Run one test. `raw` is validated first (BadInputError on a bad option). */
export async function runTest(
  raw: Partial<Record<keyof TestSpec, unknown>>,
  opts: RunOptions = {},
): Promise<RunOutcome> {
  // A name, a path or package, a workload object; test.json's workloadModule lets repro load it again.
  const saved = (raw as { workloadModule?: unknown }).workloadModule;
  const ref =
    typeof raw.workload === "object" ? raw.workload : (saved ?? raw.workload ?? DEFAULT_SPEC.workload);
  const workload = opts.workload ?? (await resolveWorkload(ref, { name: raw.workload }));
  await checkClientModule(workload);
  const workloadModule = workloadModuleOf(workload);
  const spec = validateSpec(
    { ...raw, workload: workload.name, ...(workloadModule ? { workloadModule } : {}) },
    workload.variants,
  );
  if (workload.needsMulti?.(spec.variant) && spec.client === "zookeeper") {
    if (raw.client === "zookeeper")
      throw new BadInputError(
        `${spec.workload} --variant ${spec.variant} needs multi: use --client node-zookeeper-client`,
      );
    spec.client = "node-zookeeper-client";
  }
  const store = new RunStore(spec.results, spec);
  logToFile(store.path("harness.log"));
  const log = logger("runner", { run: store.dir });
  const clock = monotonicClock();
  const images = await ensureImages({
    ...(spec.zkImage ? { zkImage: spec.zkImage } : {}),
    ...(spec.proxyImage ? { proxyImage: spec.proxyImage } : {}),
  });
  store.writeJson("test.json", { ...spec, images, startedAt: store.startedAt.toISOString() });
  const history = new HistoryWriter(store.path("history.jsonl"));
  const resource = new ResourceServer({
    fenced: workload.fencedResource?.(spec.variant) ?? false,
    logPath: store.path("resource.jsonl"),
    clock,
  });
  let ensemble: StartedZooKeeperEnsemble | null = null;
  let pool: WorkerPool | null = null;
  const nemeses: Nemesis[] = spec.nemesis.filter((n) => n !== "none").map((n) => nemesisByName(n));
  let ctx: NemesisContext | null = null;
  const progress: RunProgress = {
    phase: "starting",
    opsDone: 0,
    faultsActive: [],
    secondsLeft: spec.timeLimit,
  };
  const tick = setInterval(() => opts.onProgress?.({ ...progress }), 1000);
  let mainStart = 0;
  let mainOps = 0;
  try {
    progress.phase = "starting ensemble";
    ensemble = await new ZooKeeperEnsemble(images.zookeeper)
      .withNodes(spec.nodes)
      .withTickTime(spec.tickTimeMs)
      .withProxy(images.proxy)
      .withClientSlots(spec.clients)
      .start();
    log.info({ runId: ensemble.runId }, "ensemble up");
    const resourceUrl = await resource.start();
    progress.phase = "starting clients";
    pool = new WorkerPool(spec.clients);
    await pool.init(
      {
        clientModule: workload.clientModule,
        variant: spec.variant,
        options: {},
        driver: spec.client,
        connectString: ensemble.connectString(),
        sessionTimeoutMs: spec.sessionTimeoutMs,
        opTimeoutMs: Math.max(2 * spec.sessionTimeoutMs, 5000),
        resourceUrl,
        origin: clock.origin.toString(),
        reads: [...workload.reads],
      },
      60_000,
      (slot) => ensemble!.clientConnectString(slot),
    );
    await pool.setup();
    const cluster = chaosCluster(ensemble);
    ctx = {
      cluster,
      clients: pool,
      random: new Random(spec.seed).fork("nemesis"),
      sessionTimeoutMs: spec.sessionTimeoutMs,
      partitionMode: spec.partitionMode,
      clientPauseMode: spec.clientPauseMode,
    };

    // Main phase.
    progress.phase = "running";
    const procs = pool.slots.map((s) => s);
    const ops = new Random(spec.seed).fork("ops");
    let n = 0;
    const nextOp = (): OpRequest => workload.nextOp(ops, n++);
    const record = opts.recordHistory !== false;
    const runOp = async (slot: number, op: OpRequest) => {
      const process = procs[slot]!;
      const done = await pool!.invoke(slot, process, op, (time) => {
        if (record) history.append({ time, type: "invoke", process, f: op.f, value: op.value ?? null });
      });
      if (record)
        history.append({
          time: done.time,
          type: done.outcome.type,
          process,
          f: op.f,
          value: done.outcome.value ?? (done.outcome.type === "ok" ? null : (op.value ?? null)),
          ...(done.session ? { session: done.session } : {}),
          ...(done.outcome.error ? { error: done.outcome.error } : {}),
        });
      progress.opsDone++;
      // An op that may still take effect retires its process number (Jepsen).
      if (done.outcome.type === "info") procs[slot] = process + spec.clients;
    };
    mainStart = performance.now();
    const deadline = mainStart + spec.timeLimit * 1000;
    const stopMain = new AbortController();
    const onAbort = () => stopMain.abort();
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    if (opts.signal?.aborted) stopMain.abort(); // aborted while starting: no main phase
    const endTimer = setTimeout(() => stopMain.abort(), spec.timeLimit * 1000);
    const pacer = new Pacer(spec.rate);
    const clientLoops = pool.slots.map(async (slot) => {
      while (!stopMain.signal.aborted) {
        await pacer.next();
        if (stopMain.signal.aborted) break;
        await runOp(slot, nextOp());
        mainOps++;
      }
    });
    // A failing loop (a worker died, the history cannot be written) ends the main phase; awaiting it rethrows.
    for (const loop of clientLoops) loop.catch(() => stopMain.abort());
    const nemesisLoop = (async () => {
      if (nemeses.length === 0) return void (await sleep(spec.timeLimit * 1000, stopMain.signal));
      const random = new Random(spec.seed).fork("schedule");
      while (!stopMain.signal.aborted) {
        await sleep(spec.nemesisInterval * 1000, stopMain.signal);
        if (stopMain.signal.aborted) break;
        const nem = random.pick(nemeses);
        const started = await faultEvent(history, clock, () => nem.start(ctx!), log);
        progress.faultsActive = [nem.name];
        // A pause sized against the session timeout says how long it must last.
        await sleep(started?.durationMs ?? spec.nemesisInterval * 1000, stopMain.signal);
        await faultEvent(history, clock, () => nem.stop(ctx!), log);
        progress.faultsActive = [];
      }
    })();
    const timeLeft = setInterval(() => {
      progress.secondsLeft = Math.max(0, Math.round((deadline - performance.now()) / 1000));
    }, 500);
    nemesisLoop.catch(() => stopMain.abort());
    const stopTimers = () => (clearTimeout(endTimer), clearInterval(timeLeft));
    stopMain.signal.addEventListener("abort", stopTimers, { once: true });
    await nemesisLoop;
    // Heal before waiting for clients: an op stuck on a blackholed link finishes once the link heals.
    progress.phase = "healing";
    await healAll(nemeses, ctx, log);
    progress.faultsActive = [];
    await Promise.all(clientLoops);
    clearTimeout(endTimer);
    clearInterval(timeLeft);
    const mainSeconds = (performance.now() - mainStart) / 1000;

    // Final phase.
    if (!opts.signal?.aborted) {
      progress.phase = "final phase";
      try {
        await ensemble.waitForQuorum({ timeoutMs: 60_000 });
      } catch (err) {
        log.warn({ err: String(err) }, "no quorum after healing");
      }
      await Promise.all(
        pool.slots.map(async (slot) => {
          for (const op of workload.finalOps?.(slot, spec.clients) ?? []) await runOp(slot, op);
        }),
      );
    }
    progress.phase = "teardown";
    await pool.close();
    pool = null;
    return await finish(store, spec, workload, history, resource, mainOps / Math.max(mainSeconds, 1e-9), log);
  } finally {
    clearInterval(tick);
    if (ctx) await healAll(nemeses, ctx, log);
    pool?.killAll();
    if (ensemble) {
      await ensemble.collectLogs(store.path("nodes")).catch(() => undefined);
      await ensemble.stopAll().catch((err) => log.error({ err: String(err) }, "teardown failed"));
    }
    await resource.stop();
    history.close();
    store.markLatest();
    // After teardown, so the report links the server logs; a run that failed or was stopped gets one too.
    try {
      writeReport(store.dir);
    } catch (err) {
      log.warn({ err: String(err) }, "could not write the report");
    }
    try {
      writeResultsIndex([store.root], join(store.root, "index.html"));
    } catch (err) {
      log.warn({ err: String(err) }, "could not update the results index");
    }
  }
}

async function faultEvent(
  history: HistoryWriter,
  clock: Clock,
  act: () => Promise<FaultEvent>,
  log: ReturnType<typeof logger>,
): Promise<FaultEvent | null> {
  const t0 = clock.now();
  try {
    const ev = await act();
    history.append({ time: t0, type: "invoke", process: "nemesis", f: ev.f, value: null });
    history.append({ time: clock.now(), type: "info", process: "nemesis", f: ev.f, value: ev.value ?? null });
    return ev;
  } catch (err) {
    log.warn({ err: String(err) }, "nemesis action failed");
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

async function healAll(
  nemeses: Nemesis[],
  ctx: NemesisContext,
  log: ReturnType<typeof logger>,
): Promise<void> {
  for (const n of nemeses) {
    try {
      await n.heal(ctx);
    } catch (err) {
      log.error({ nemesis: n.name, err: String(err) }, "heal failed");
    }
  }
  for (const slot of ctx.clients.slots) await ctx.clients.resume(slot).catch(() => undefined);
}

async function finish(
  store: RunStore,
  spec: TestSpec,
  workload: Workload,
  history: HistoryWriter,
  resource: ResourceServer,
  throughput: number,
  log: ReturnType<typeof logger>,
): Promise<RunOutcome> {
  const checkers: Checker[] = [...workload.checkers(spec.variant, resource.events), perfStats()];
  // Bounded: past the time or memory cap the search answers unknown (memory: linearizable's default cap).
  const caps = spec.checkTimeout > 0 ? { timeoutMs: spec.checkTimeout * 1000 } : {};
  const composed = (await compose(checkers).check(history.history(), caps)) as ComposedResult;
  const ops = history.history();
  const stats = {
    ops: ops.filter((o) => o.type === "invoke" && o.process !== "nemesis").length,
    ok: ops.filter((o) => o.type === "ok").length,
    fail: ops.filter((o) => o.type === "fail").length,
    info: ops.filter((o) => o.type === "info" && o.process !== "nemesis").length,
    throughput: Math.round(throughput * 10) / 10,
    resourceAccesses: resource.events.length,
  };
  const results = { ...composed, stats };
  store.writeJson("results.json", results);
  log.info({ valid: results.valid }, "checked");
  return { spec, dir: store.dir, results, throughput };
}
