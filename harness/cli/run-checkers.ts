/**
 * The checkers a stored run is judged by: its workload's own, chosen as `run` chose them — a built-in by
 * name, a user's recipe from the module test.json names (`workloadModule`) — over its resource.jsonl. Used by
 * `check` and `report`, so a stored run gets the verdict its run would give. A recipe whose module can no
 * longer be loaded is bad input: one line naming it, and how to check the run by model instead.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Checker } from "../../checkers/checker.ts";
import { withSessionOrder } from "../../checkers/session-order.ts";
import type { ResourceEvent } from "../../kernel/resource.ts";
import type { Workload } from "../../workloads/workload.ts";
import { BadInputError } from "../../kernel/errors.ts";

/** What test.json says about a run's workload. */
export interface RunWorkload {
  readonly name: string;
  readonly variant?: string;
  /** The recipe's module as recorded (absolute; a relative one is taken from the run folder). */
  readonly module?: string;
}

/** The workload test.json names (a name, or an object with one), or undefined. */
export function runWorkloadOf(test: Readonly<Record<string, unknown>>): RunWorkload | undefined {
  const w = test.workload;
  const name =
    typeof w === "string"
      ? w
      : w !== null && typeof w === "object" && typeof (w as { name?: unknown }).name === "string"
        ? (w as { name: string }).name
        : undefined;
  if (name === undefined) return undefined;
  return {
    name,
    ...(typeof test.variant === "string" ? { variant: test.variant } : {}),
    ...(typeof test.workloadModule === "string" && test.workloadModule !== ""
      ? { module: test.workloadModule }
      : {}),
  };
}

/** The run's recipe cannot be loaded as the run used it (`check --model` still judges the run by model). */
export class WorkloadModuleError extends BadInputError {}

/**
 * The checkers `run` judged this run by (its workload's, and session-order); undefined for a workload zk-chaos does not know that names no
 * module (judge it by model). `dir` is the run folder. Imported lazily: plain corpus checks load no workloads.
 */
export async function runCheckers(
  w: RunWorkload,
  resource: readonly ResourceEvent[],
  dir: string,
): Promise<Checker[] | undefined> {
  // resource.jsonl lines are the resource server's events, read back from disk
  const events = resource as unknown as Parameters<Workload["checkers"]>[1];
  if (w.module !== undefined) {
    const recipe = await loadRecipe(w, dir);
    if (w.variant !== undefined && !recipe.variants.includes(w.variant))
      throw unloadable(w, dir, `it has no variant ${w.variant} now (${recipe.variants.join(", ")})`);
    const variant = w.variant ?? recipe.variants[0]!;
    try {
      return withSessionOrder(recipe.checkers(variant, events));
    } catch (err) {
      throw unloadable(
        w,
        dir,
        `its checkers for ${variant}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
  const { workloadNames, workloadByName } = await import("../../workloads/index.ts");
  if (!workloadNames().includes(w.name)) return undefined;
  const builtIn = workloadByName(w.name);
  const v =
    w.variant !== undefined && builtIn.variants.includes(w.variant) ? w.variant : builtIn.variants[0]!;
  return withSessionOrder(builtIn.checkers(v, events));
}

/** The recipe from its module, as repro loads it; the one named in test.json if the module has several. */
async function loadRecipe(w: RunWorkload, dir: string): Promise<Workload> {
  const { importModule, loadWorkloadModule, looksLikePath } = await import("../runner/load-workload.ts");
  const { findDefined } = await import("../../workloads/define-workload.ts");
  const ref = w.module!;
  if (looksLikePath(ref) && !existsSync(resolve(dir, ref))) throw unloadable(w, dir, "not found");
  let loaded: Workload;
  try {
    loaded = await loadWorkloadModule(ref, { cwd: dir, name: w.name });
  } catch (err) {
    // its messages start with the module's name, which ours already gives
    const why = err instanceof Error ? err.message : String(err);
    throw unloadable(w, dir, why.startsWith(ref) ? why.slice(ref.length).replace(/^:?\s*/, "") : why);
  }
  if (loaded.name === w.name) return loaded;
  // Its default export is another workload: the run's may be a named export of the same module.
  const mod = await importModule(loaded.clientModule.split("#")[0]!).catch(() => ({}));
  const named = findDefined(mod as Record<string, unknown>, w.name);
  if (!named) throw unloadable(w, dir, `it exports workload ${loaded.name}, not ${w.name}`);
  return named;
}

/**
 * One line: which run and workload, how to check the run by model instead, then the module and why (last,
 * so a long reason is what gets cut, never the way out).
 */
function unloadable(w: RunWorkload, dir: string, why: string): WorkloadModuleError {
  return new WorkloadModuleError(
    `${dir}: cannot load workload ${w.name} as this run used it, so its own checkers cannot judge it; ` +
      `to check it by model instead: zk-chaos check ${dir} --model M (M: e.g. cas-register). ` +
      `${w.module}: ${why}`,
  );
}
