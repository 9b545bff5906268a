/**
 * The workload contract: what runs in a worker process (a client that turns one logical op into one
 * outcome) and what the harness needs (an op generator, a final phase, the checkers that judge it).
 * Built-in workloads and users' own recipes implement the same interfaces.
 */
import type { Checker } from "../checkers/checker.ts";
import type { Random } from "../kernel/random.ts";
import type { ResourceClient } from "../kernel/resource.ts";
import type { ResourceEvent } from "../kernel/resource.ts";
import type { DriverName, ZkClient } from "./zk/index.ts";

/** One logical operation: `f` and its argument. */
export interface OpRequest {
  f: string;
  value: unknown;
}

/** The outcome of one op: ok = happened, fail = certainly did not, info = unknown. */
export interface OpOutcome {
  type: "ok" | "fail" | "info";
  value?: unknown;
  error?: string;
}

/** What a worker's client sees: its ZooKeeper session, the guarded resource, and who it is. */
export interface WorkerContext {
  /** The current session; replaced by a new one after it expired (see `reconnect`). */
  readonly zk: ZkClient;
  readonly resource: ResourceClient;
  /** Client slot, 0-based; stable for the worker's life. */
  readonly slot: number;
  /** History process number of the op being run (changes after an info). */
  readonly process: number;
  readonly variant: string;
  readonly options: Readonly<Record<string, unknown>>;
  /** The ensemble's connect string ("127.0.0.1:port,…"), for a recipe that brings its own client library. */
  readonly connectString: string;
  /** The session timeout (ms) the harness asks for; client pauses are sized against it. */
  readonly sessionTimeoutMs: number;
  /** Which of our drivers is behind `zk`. */
  readonly driver: DriverName;
  /** Nanoseconds since the test started: the history's clock, for times a recipe records itself. */
  now(): number;
  /** Open a new session (after expiry, or when a recipe decides to start over). */
  reconnect(): Promise<ZkClient>;
}

/** Runs inside a worker process, one op at a time. */
export interface WorkloadClient {
  /** Create shared state (parent znodes). Called once, in one worker, before any op. Idempotent. */
  setup?(ctx: WorkerContext): Promise<void>;
  /** Run one op. A throw is classified by the outcome table (reads → fail, writes → info). */
  invoke(ctx: WorkerContext, op: OpRequest): Promise<OpOutcome>;
  /** Release what the client holds (locks, leadership); best effort. */
  close?(ctx: WorkerContext): Promise<void>;
}

/** Makes a worker's client for a variant; called once per worker process. */
export type WorkloadClientFactory = (variant: string, options: Record<string, unknown>) => WorkloadClient;

/**
 * Module a worker process imports (Workload.clientModule): `export default` a client factory (built-ins),
 * or export a defined workload (defineWorkload) whose `client` is the factory (users' recipes).
 */
export type WorkloadClientModule = Record<string, unknown> & {
  default?: WorkloadClientFactory | { readonly client: WorkloadClientFactory };
};

/** What the runner needs to know about a workload. */
export interface Workload {
  readonly name: string;
  /** Variants this workload has; the first is the default. */
  readonly variants: readonly string[];
  /** The variants that are the fix (valid under every fault); a failing run points at the first. */
  readonly fixedVariants?: readonly string[];
  /** The `--nemesis` a run uses when none is given: the faults that find this recipe's bugs. */
  readonly defaultNemesis?: string;
  /**
   * Absolute path or file URL of the module worker processes import for the client side; a URL fragment
   * (`#name`) names the defined workload to take from it.
   */
  readonly clientModule: string;
  /** Ops whose failure cannot have changed anything (classified fail, not info). */
  readonly reads: ReadonlySet<string>;
  /**
   * The writes aimed faults are meant for: those that break when retried (a queue's enqueue, not its
   * dequeue: lost replies wait for one) and a leader's act (an election's write, not its resign: a leader
   * is paused as it starts one). Default: every write.
   */
  readonly aimAt?: readonly string[];
  /** Whether a variant needs ZooKeeper multi (only some client drivers have it). */
  needsMulti?(variant: string): boolean;
  /** Whether the guarded resource runs fenced for this variant. */
  fencedResource?(variant: string): boolean;
  /** The next op of the main phase (pure given the random stream and the op count). */
  nextOp(random: Random, n: number): OpRequest;
  /** Ops each client slot runs after the cluster is healed (final reads, drains); may be empty. */
  finalOps?(slot: number, clients: number): OpRequest[];
  /** The checkers that judge a run, given the resource's log. */
  checkers(variant: string, resource: readonly ResourceEvent[]): Checker[];
}
