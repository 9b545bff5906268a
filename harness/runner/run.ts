/**
 * runTest: the lifecycle of one test as nested scopes (Jepsen's core/run!): results folder → history and
 * guarded resource → ensemble → clients → nemeses → main phase, heal, final phase; each scope is released
 * whatever happens inside it, then the recording is checked. The history is appended as it happens, so
 * whatever stops the run, what was recorded stays. The runner knows the Cluster, Workload, Nemesis and
 * Checker interfaces only: the caller (the CLI) hands it the ensemble provider and writes the report.
 */
import type { Checker, ComposedResult } from "../../checkers/checker.ts";
import { compose } from "../../checkers/checker.ts";
import { withSessionOrder } from "../../checkers/session-order.ts";
import { stats as perfStats } from "../../checkers/stats.ts";
import type { ClusterProvider, ClusterSpec, RunCluster } from "../../kernel/cluster.ts";
import { monotonicClock, type Clock } from "../../kernel/clock.ts";
import { BadInputError } from "../../kernel/errors.ts";
import { logger, logToFile, type Logger } from "../../kernel/log.ts";
import { type ClientCrash, type Op, isClientOp } from "../../kernel/op.ts";
import { Random } from "../../kernel/random.ts";
import type { ResourceEvent } from "../../kernel/resource.ts";
import { RunHealthMonitor, type RunHealth } from "../../kernel/run-health.ts";
import type { Workload } from "../../workloads/workload.ts";
import { HistoryWriter } from "../history/writer.ts";
import type { NemesisContext } from "../nemesis/nemesis.ts";
import { nemesisByName } from "../nemesis/registry.ts";
import { parseNemesisEntry } from "../nemesis/nemesis-syntax.ts";
import { firstViolationSeconds, firstViolationTime } from "../../checkers/first-violation.ts";
import { AccessGate } from "../resource/access-gate.ts";
import { ResourceActors } from "../resource/resource-actors.ts";
import { InFlightWrites } from "./in-flight.ts";
import { ResourceServer } from "../resource/resource-server.ts";
import type { ClientPool, ClientPoolFactory } from "../worker/client-pool.ts";
import { WorkerPool } from "../worker/worker-pool.ts";
import { checkClientModule, resolveWorkload, workloadModuleOf } from "./load-workload.ts";
import { finalPhase, healAll, mainPhase, OpRunner, type PhaseContext, type RunProgress } from "./phases.ts";
import { Scope } from "./scope.ts";
import { RunStore } from "./store.ts";
import { DEFAULT_SPEC, validateSpec, type TestSpec } from "./test-spec.ts";

export type { RunProgress };

/** What a run stands on, handed in by the composition root (harness/cli). */
export interface RunEnvironment {
  /** Starts ensembles (docker/ in the CLI, a fake in tests). */
  readonly clusters: ClusterProvider;
  /** Starts the clients; default: one worker process per client. */
  readonly clients?: ClientPoolFactory;
  /** After teardown, whatever happened, with the run's folder: the CLI writes the report and index here. */
  readonly afterRun?: (dir: string, resultsRoot: string) => void | Promise<void>;
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
  results: ComposedResult & { stats: Record<string, unknown>; health?: RunHealth; zookeeperVersion?: string };
  /** ops/s over the main phase. */
  throughput: number;
  /** The workload's fix, when this run was of another variant. */
  fixedVariant?: string;
}

/** What a run recorded, for the checkers. */
interface Recording {
  readonly history: readonly Op[];
  readonly resource: readonly ResourceEvent[];
  readonly throughput: number;
  /** How busy the harness and its host were from the main phase to teardown. */
  readonly health: RunHealthMonitor;
  /** The version the servers reported at the start (`srvr`), when the cluster tells. */
  readonly zookeeperVersion: string | null;
}

/** Run one test. `raw` is validated first (BadInputError on a bad option). */
export async function runTest(
  raw: Partial<Record<keyof TestSpec, unknown>>,
  env: RunEnvironment,
  opts: RunOptions = {},
): Promise<RunOutcome> {
  const { spec, workload } = await resolveRun(raw, opts.workload);
  const store = new RunStore(spec.results, spec);
  logToFile(store.path("harness.log"));
  const log = logger("runner", { run: store.dir });
  try {
    const recording = await record({ spec, workload, store, env, opts, log });
    return await judge(store, spec, workload, recording, log);
  } finally {
    store.markLatest();
    try {
      await env.afterRun?.(store.dir, store.root);
    } catch (err) {
      log.warn({ err: String(err) }, "after the run");
    }
  }
}

/** The workload (a name, a path or package, an object) and the validated spec. */
async function resolveRun(
  raw: Partial<Record<keyof TestSpec, unknown>>,
  given?: Workload,
): Promise<{ spec: TestSpec; workload: Workload }> {
  // test.json's workloadModule lets repro load a user's recipe again.
  const saved = (raw as { workloadModule?: unknown }).workloadModule;
  const ref =
    typeof raw.workload === "object" ? raw.workload : (saved ?? raw.workload ?? DEFAULT_SPEC.workload);
  const workload = given ?? (await resolveWorkload(ref, { name: raw.workload }));
  await checkClientModule(workload);
  const workloadModule = workloadModuleOf(workload);
  // No --nemesis: the faults that find this workload's bugs, when it names them.
  const nemesis = raw.nemesis ?? workload.defaultNemesis;
  const spec = validateSpec(
    {
      ...raw,
      workload: workload.name,
      ...(nemesis !== undefined ? { nemesis } : {}),
      ...(workloadModule ? { workloadModule } : {}),
    },
    workload.variants,
  );
  if (workload.needsMulti?.(spec.variant) && spec.client === "zookeeper") {
    if (raw.client === "zookeeper")
      throw new BadInputError(
        `${spec.workload} --variant ${spec.variant} needs multi: use --client node-zookeeper-client`,
      );
    spec.client = "node-zookeeper-client";
  }
  return { spec, workload };
}

interface RunScope {
  readonly spec: TestSpec;
  readonly workload: Workload;
  readonly store: RunStore;
  readonly env: RunEnvironment;
  readonly opts: RunOptions;
  readonly log: Logger;
}

/** Everything with the ensemble up, each part a scope released in reverse order. */
async function record(s: RunScope): Promise<Recording> {
  const { spec, workload, store, env, opts, log } = s;
  const clock = monotonicClock();
  const clusterSpec: ClusterSpec = {
    nodes: spec.nodes,
    observers: spec.observers,
    zkVersion: spec.zkVersion,
    tickTimeMs: spec.tickTimeMs,
    clientSlots: spec.clients,
    ...(spec.zkImage ? { zkImage: spec.zkImage } : {}),
    ...(spec.proxyImage ? { proxyImage: spec.proxyImage } : {}),
  };
  const images = await env.clusters.prepare(clusterSpec);
  store.writeJson("test.json", { ...spec, images, startedAt: store.startedAt.toISOString() });
  const history = new HistoryWriter(store.path("history.jsonl"));
  const progress: RunProgress = {
    phase: "starting",
    opsDone: 0,
    faultsActive: [],
    secondsLeft: spec.timeLimit,
  };
  const gate = new AccessGate();
  const resource = new ResourceServer({
    fenced: workload.fencedResource?.(spec.variant) ?? false,
    logPath: store.path("resource.jsonl"),
    clock,
    gate,
  });
  const health = new RunHealthMonitor();
  const actors = new ResourceActors(spec.clients, gate);
  resource.onEvent((event) => actors.observe(event));
  const inFlight = new InFlightWrites(workload.reads, workload.aimAt);
  const phases = (cluster: RunCluster, pool: ClientPool): PhaseContext => ({
    spec,
    workload,
    cluster,
    pool,
    nemesis: nemesisContext(spec, cluster, pool, actors, inFlight),
    inFlight,
    nemeses: spec.nemesis
      .filter((n) => n !== "none")
      .map((entry) => parseNemesisEntry(entry).map((p) => nemesisByName(p.name, p.options as never))),
    history,
    clock,
    progress,
    log,
    record: opts.recordHistory !== false,
    ...(opts.signal ? { signal: opts.signal } : {}),
    onPacerLag: (ms) => health.pacerLag(ms),
  });
  const scope = new Scope(log);
  try {
    scope.use("history", history, (h) => h.close());
    scope.use(
      "progress",
      setInterval(() => opts.onProgress?.({ ...progress }), 1000),
      clearInterval,
    );
    const resourceUrl = await scope
      .use("resource", resource, (r) => {
        actors.close();
        inFlight.close();
        return r.stop();
      })
      .start();
    const cluster = await startCluster(env, clusterSpec, images, progress, log);
    scope.use("ensemble", cluster, (c) => teardown(c, store));
    const zookeeperVersion = (await cluster.serverVersion?.().catch(() => null)) ?? null;
    log.info({ zookeeperVersion, zkVersion: spec.zkVersion, observers: spec.observers }, "servers");
    const pool = scope.use("clients", await startClients(s, cluster, resourceUrl, clock, progress), (p) =>
      p.killAll(),
    );
    const c = scope.use("nemeses", phases(cluster, pool), (c) => healAll(c.nemeses.flat(), c.nemesis, log));
    scope.use("health", health.start(), (h) => h.stop());
    const ops = new OpRunner(c);
    const throughput = await mainPhase(c, ops);
    await finalPhase(c, ops);
    health.stop(); // the figures cover the recording, not the teardown
    progress.phase = "teardown";
    await pool.close();
    return { history: history.history(), resource: resource.events, throughput, health, zookeeperVersion };
  } finally {
    await scope.close();
  }
}

async function startCluster(
  env: RunEnvironment,
  spec: ClusterSpec,
  images: object,
  progress: RunProgress,
  log: Logger,
): Promise<RunCluster> {
  progress.phase = "starting ensemble";
  const cluster = await env.clusters.start(spec, images);
  log.info({ runId: cluster.runId }, "ensemble up");
  return cluster;
}

/** Keep the servers' logs, then remove the ensemble. */
async function teardown(cluster: RunCluster, store: RunStore): Promise<void> {
  await cluster.collectLogs(store.path("nodes")).catch(() => undefined);
  await cluster.close();
}

async function startClients(
  s: RunScope,
  cluster: RunCluster,
  resourceUrl: string,
  clock: Clock,
  progress: RunProgress,
): Promise<ClientPool> {
  const { spec, workload, env } = s;
  progress.phase = "starting clients";
  const pool = (env.clients ?? ((n) => new WorkerPool(n)))(spec.clients);
  try {
    await pool.init(
      {
        clientModule: workload.clientModule,
        variant: spec.variant,
        options: {},
        driver: spec.client,
        connectString: cluster.connectString(),
        sessionTimeoutMs: spec.sessionTimeoutMs,
        opTimeoutMs: Math.max(2 * spec.sessionTimeoutMs, 5000),
        resourceUrl,
        origin: clock.origin.toString(),
        reads: [...workload.reads],
        nodes: [...cluster.nodes],
      },
      60_000,
      (slot) => cluster.clientConnectString(slot),
    );
    await pool.setup();
    return pool;
  } catch (err) {
    pool.killAll();
    throw err;
  }
}

function nemesisContext(
  spec: TestSpec,
  cluster: RunCluster,
  clients: ClientPool,
  actors: ResourceActors,
  inFlight: InFlightWrites,
): NemesisContext {
  return {
    target: spec.target,
    actors,
    inFlight,
    cluster,
    clients,
    random: new Random(spec.seed).fork("nemesis"),
    sessionTimeoutMs: spec.sessionTimeoutMs,
    partitionMode: spec.partitionMode,
    clientPauseMode: spec.clientPauseMode,
  };
}

/** Check what was recorded with the workload's checkers; results.json. */
async function judge(
  store: RunStore,
  spec: TestSpec,
  workload: Workload,
  recording: Recording,
  log: Logger,
): Promise<RunOutcome> {
  const { history: ops, resource, throughput } = recording;
  const checkers: Checker[] = [...withSessionOrder(workload.checkers(spec.variant, resource)), perfStats()];
  // Bounded: past the time or memory cap the search answers unknown (memory: linearizable's default cap).
  const caps = spec.checkTimeout > 0 ? { timeoutMs: spec.checkTimeout * 1000 } : {};
  const composed = (await compose(checkers).check(ops, caps)) as ComposedResult;
  const stats = {
    ops: ops.filter((o) => o.type === "invoke" && isClientOp(o)).length,
    ok: ops.filter((o) => o.type === "ok").length,
    fail: ops.filter((o) => o.type === "fail").length,
    info: ops.filter((o) => o.type === "info" && isClientOp(o)).length,
    throughput: Math.round(throughput * 10) / 10,
    resourceAccesses: resource.length,
    clientCrashes: ops.filter((o) => o.crash !== undefined).length,
    slotsRetired: ops.filter((o) => (o.crash as ClientCrash | undefined)?.retired === true).length,
  };
  const health = recording.health.summary();
  // Counted from the first client op, not from the harness start (image builds, the ensemble start).
  const firstViolationS =
    composed.valid === false
      ? firstViolationSeconds(
          firstViolationTime(composed.checkers as Record<string, Record<string, unknown>>, ops, resource),
          ops.find(isClientOp)?.time ?? 0,
        )
      : null;
  const results = {
    ...composed,
    stats,
    ...(recording.zookeeperVersion ? { zookeeperVersion: recording.zookeeperVersion } : {}),
    ...(firstViolationS !== null ? { firstViolationS } : {}),
    ...(health ? { health } : {}),
  };
  store.writeJson("results.json", results);
  if (health) log.info({ health }, "run health");
  log.info({ valid: results.valid }, "checked");
  const fixed = workload.fixedVariants?.includes(spec.variant) ? undefined : workload.fixedVariants?.[0];
  return { spec, dir: store.dir, results, throughput, ...(fixed ? { fixedVariant: fixed } : {}) };
}
