/**
 * A built-in judged after the heal too (checkers/after-heal.ts): the probe runs last in every client's
 * final phase and counts as a read, and the after-heal checker joins the workload's own. The client side
 * answers the probe with `withProbe` (probe.ts) over the same roots as `options.ephemerals`.
 */
import { afterHeal, PROBE_F, type AfterHealOptions } from "../../checkers/after-heal.ts";
import type { Workload } from "../workload.ts";
import { probeOp } from "./probe.ts";

export function withAfterHeal(workload: Workload, options: AfterHealOptions): Workload {
  const { finalOps, checkers } = workload;
  return {
    ...workload,
    reads: new Set([...workload.reads, PROBE_F]),
    finalOps: (slot, clients) => [...(finalOps?.call(workload, slot, clients) ?? []), probeOp()],
    checkers: (variant, resource) => [...checkers.call(workload, variant, resource), afterHeal(options)],
  };
}
