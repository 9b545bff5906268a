/**
 * A built-in judged after the heal too (checkers/after-heal.ts): the after-heal checker joins the
 * workload's own. A workload whose clients own ephemeral nodes names their roots (`options.ephemerals`):
 * then the probe runs last in every client's final phase and counts as a read, and the client side
 * answers it with `withProbe` (probe.ts) over the same roots. One without ephemerals skips the probe and
 * its wait of a session timeout: it could find nothing.
 */
import { afterHeal, PROBE_F, type AfterHealOptions } from "../../checkers/after-heal.ts";
import type { Workload } from "../workload.ts";
import { probeOp } from "./probe.ts";

export function withAfterHeal(workload: Workload, options: AfterHealOptions): Workload {
  const { finalOps, checkers } = workload;
  const judged: Workload = {
    ...workload,
    checkers: (variant, resource) => [...checkers.call(workload, variant, resource), afterHeal(options)],
  };
  if (!options.ephemerals) return judged;
  return {
    ...judged,
    reads: new Set([...workload.reads, PROBE_F]),
    finalOps: (slot, clients) => [...(finalOps?.call(workload, slot, clients) ?? []), probeOp()],
  };
}
