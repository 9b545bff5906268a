/**
 * The checker contract (jepsen.checker): a pure function from a history to a three-valued verdict plus
 * evidence, `compose` to run several and merge their verdicts, and `checkSafe` so a checker bug becomes
 * "unknown" instead of a crash.
 */
import type { Op } from "../kernel/op.ts";

/** true = the property holds, false = violated (with evidence), "unknown" = could not decide (timeout, limit, error). */
export type Validity = true | false | "unknown";

/** A verdict plus JSON-serializable evidence; the shape of one entry of results.json's `checkers`. */
export interface CheckResult {
  readonly valid: Validity;
  readonly [detail: string]: unknown;
}

/** Options every checker accepts; each ignores what it does not use. */
export interface CheckOptions {
  /** Milliseconds the checker may spend; past it the verdict is "unknown". Unset: no limit. */
  readonly timeoutMs?: number;
  /** Aborting it makes a long search stop with "unknown". */
  readonly signal?: AbortSignal;
  /** Cap on the memory a search may use for its caches, in bytes; past it the verdict is "unknown". */
  readonly maxMemoryBytes?: number;
}

/**
 * A checker: reads the history, never mutates it, never touches Docker, the network or ZooKeeper.
 * `check` may be synchronous or asynchronous.
 */
export interface Checker {
  /** Key under which the result appears in results.json (`checkers.<name>`). */
  readonly name: string;
  check(history: readonly Op[], opts?: CheckOptions): CheckResult | Promise<CheckResult>;
}

const rank = (v: Validity): number => (v === false ? 2 : v === "unknown" ? 1 : 0);

/** Merge verdicts, worst wins: false > "unknown" > true. An empty list is valid. */
export function worst(...vs: readonly Validity[]): Validity {
  let w: Validity = true;
  for (const v of vs) if (rank(v) > rank(w)) w = v;
  return w;
}

/** Run `checker`, turning any exception (or a result without a proper `valid`) into `{valid: "unknown", error}`. */
export async function checkSafe(
  checker: Checker,
  history: readonly Op[],
  opts: CheckOptions = {},
): Promise<CheckResult> {
  try {
    const r = await checker.check(history, opts);
    if (
      r === null ||
      typeof r !== "object" ||
      (r.valid !== true && r.valid !== false && r.valid !== "unknown")
    ) {
      return { valid: "unknown", error: `checker ${checker.name} returned no verdict` };
    }
    return r;
  } catch (err) {
    return { valid: "unknown", error: err instanceof Error ? err.message : String(err) };
  }
}

/** The merged result of several checkers, results.json-shaped. */
export interface ComposedResult extends CheckResult {
  readonly checkers: Record<string, CheckResult>;
}

/** A Checker whose result carries every composed checker's result. */
export interface ComposedChecker extends Checker {
  check(history: readonly Op[], opts?: CheckOptions): Promise<ComposedResult>;
}

/**
 * Run every checker (each through `checkSafe`, one after another so timeouts stay per checker) and merge:
 * `{valid: worst of all, checkers: {name: result}}`.
 */
export function compose(checkers: readonly Checker[], name = "compose"): ComposedChecker {
  const names = new Set<string>();
  for (const c of checkers) {
    if (names.has(c.name)) throw new Error(`compose: two checkers named ${c.name}`);
    names.add(c.name);
  }
  return {
    name,
    async check(history, opts = {}) {
      const results: Record<string, CheckResult> = {};
      for (const c of checkers) results[c.name] = await checkSafe(c, history, opts);
      return { valid: worst(...Object.values(results).map((r) => r.valid)), checkers: results };
    },
  };
}
