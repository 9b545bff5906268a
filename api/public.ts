/**
 * zk-chaos's public API (`import { … } from "zk-chaos"`): define a workload for your own recipe, run it on
 * a real ensemble under faults, read the verdict. Everything here is stable; deep imports are not.
 */
import { counter } from "../workloads/lock/counter.ts";
import { checkLockSafety, lockSafety } from "../checkers/lock-safety.ts";
import { checkLeaderSafety, leaderSafety } from "../checkers/leader-safety.ts";
import { checkTotalQueue, totalQueue } from "../checkers/total-queue.ts";
import { checkDuplicateWrites, duplicateWrites } from "../checkers/duplicate-writes.ts";
import { checkLinearizable, linearizable } from "../checkers/linearizable/linearizable.ts";
import { MODEL_NAMES, modelByName } from "../checkers/linearizable/models/index.ts";
import { checkSessionOrder, sessionOrder } from "../checkers/session-order.ts";
import { compose } from "../checkers/checker.ts";
import { afterHeal, checkAfterHeal } from "../checkers/after-heal.ts";
import { runOnDocker } from "../harness/cli/run-on-docker.ts";
import type { RunOptions, RunOutcome } from "../harness/runner/run.ts";
import type { TestSpec } from "../harness/runner/test-spec.ts";
import type { Workload } from "../workloads/workload.ts";
import type { DriverName } from "../workloads/zk/client.ts";
import { CHECKER_NAMES } from "../workloads/checker-specs.ts";

export { defineWorkload, isDefinedWorkload } from "../workloads/define-workload.ts";
export type { DefinedWorkload, WorkloadDefinition } from "../workloads/define-workload.ts";
export type {
  CheckerChoice,
  CheckerName,
  AfterHealSpec,
  CheckerSpec,
  DuplicateWritesSpec,
  LeaderSafetySpec,
  LinearizableSpec,
  LockSafetySpec,
  LostUpdatesSpec,
  SessionOrderSpec,
  TotalQueueSpec,
} from "../workloads/checker-specs.ts";
export type {
  OpOutcome,
  OpRequest,
  WorkerContext,
  Workload,
  WorkloadClient,
  WorkloadClientFactory,
} from "../workloads/workload.ts";
export type {
  ConnectionState,
  CreateMode,
  DriverName,
  MultiOp,
  MultiResult,
  Stat,
  WatchEvent,
  Watcher,
  ZkClient,
} from "../workloads/zk/client.ts";
export { ZkError, type ZkErrorCode } from "../workloads/zk/errors.ts";
export type { ResourceClient, ResourceEvent, ResourceReply, ResourceRequest } from "../kernel/resource.ts";
export type { Random } from "../kernel/random.ts";
export type { Checker, CheckResult, ComposedResult, Validity } from "../checkers/checker.ts";
export { BadInputError, EXIT } from "../kernel/errors.ts";
export type { RunOptions, RunOutcome, RunProgress } from "../harness/runner/run.ts";
export type { TestSpec } from "../harness/runner/test-spec.ts";

/** What runTest takes: the CLI's `run` options, camelCased; `workload` may be your defined workload. */
export type RunSpec = Partial<Omit<TestSpec, "workload" | "nemesis" | "client">> & {
  /** A built-in name, a path or package name of a workload module, or a defined workload. */
  workload?: string | Workload;
  /** Faults: partition, latency, pause, kill, client-pause, none (a list or a comma string). */
  nemesis?: readonly string[] | string;
  client?: DriverName;
};

/** One test on a real ensemble; resolves with the verdict (`results.valid`) and the results folder. */
export function runTest(spec: RunSpec = {}, opts: RunOptions = {}): Promise<RunOutcome> {
  return runOnDocker(spec as Partial<Record<keyof TestSpec, unknown>>, opts);
}

/** Checker constructors and pure check functions, for Checker objects of your own and unit tests. */
export const checkers = {
  /** Names `defineWorkload`'s `checkers` accepts. */
  names: CHECKER_NAMES,
  /** Models `{ name: "linearizable", model }` accepts. */
  models: MODEL_NAMES,
  lockSafety,
  checkLockSafety,
  leaderSafety,
  checkLeaderSafety,
  totalQueue,
  checkTotalQueue,
  duplicateWrites,
  checkDuplicateWrites,
  linearizable,
  checkLinearizable,
  modelByName,
  sessionOrder,
  checkSessionOrder,
  lostUpdates: counter,
  afterHeal,
  checkAfterHeal,
  compose,
} as const;
