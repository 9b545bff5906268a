/**
 * checkers/: pure functions from a history to a verdict — true, false or "unknown" — with evidence.
 * Linearizability (Wing & Gong search with Lowe's memoization, P-compositional, on typed arrays) against
 * the models in linearizable/models/, safety checkers over the history or the guarded resource's log,
 * perf statistics, and the history formats (our JSONL, Jepsen EDN in and out, Porcupine's logs).
 * Nothing here touches Docker, the network, processes or ZooKeeper.
 */
export type {
  Checker,
  CheckOptions,
  CheckResult,
  ComposedChecker,
  ComposedResult,
  Validity,
} from "./checker.ts";
export { checkSafe, compose, worst } from "./checker.ts";
export { checkHistory, checkersFor } from "./check-history.ts";
export type { HistoryContext, Results } from "./check-history.ts";
export { checkLinearizable, linearizable } from "./linearizable/linearizable.ts";
export type { LinearizableOptions, LinearizableResult } from "./linearizable/linearizable.ts";
export { UNKNOWN, partitionBy, withDefaults } from "./linearizable/model.ts";
export type { LinOp, Model, Unknown } from "./linearizable/model.ts";
export { inferModel, MODEL_NAMES, modelByName } from "./linearizable/models/index.ts";
export { checkTotalQueue, totalQueue } from "./total-queue.ts";
export { CUT, cutLine, cutReason, historyCompleteness } from "./history-completeness.ts";
export type { Completeness } from "./history-completeness.ts";
export { checkDuplicateWrites, duplicateWrites } from "./duplicate-writes.ts";
export { checkLockSafety, lockSafety } from "./lock-safety.ts";
export { checkLeaderSafety, leaderSafety } from "./leader-safety.ts";
export { checkSessionOrder, sessionOrder } from "./session-order.ts";
export { checkStats, nemesisWindows, stats } from "./stats.ts";
export type { ResourceEvent } from "../kernel/resource.ts";
export { detectFormat, FORMATS, parseHistory } from "./formats/index.ts";
export type { Format, ParsedHistory } from "./formats/index.ts";
export { writeJepsenEdn } from "./formats/edn-writer.ts";
export { parseResourceLog } from "./formats/resource-log.ts";
