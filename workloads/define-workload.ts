/**
 * defineWorkload: the public way to write a workload (a user's own recipe). One object says which client
 * runs in each worker process, which ops to generate, and which checkers judge the run (by name, with
 * options, or Checker objects). The result is a Workload, the same interface the built-ins implement,
 * plus the client factory the worker process finds when it imports the defining module.
 */
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Checker } from "../checkers/checker.ts";
import type { ResourceEvent } from "../kernel/resource.ts";
import { BadInputError } from "../kernel/errors.ts";
import type { Random } from "../kernel/random.ts";
import { PROBE_F } from "../checkers/after-heal.ts";
import { probeOp, withProbe } from "./after-heal/probe.ts";
import { buildChecker, checkChoice, probedRoots, wantsFencing, type CheckerChoice } from "./checker-specs.ts";
import type { OpRequest, Workload, WorkloadClientFactory } from "./workload.ts";

/** What a user writes. Only `name`, `variants`, `client`, `nextOp` and `checkers` are required. */
export interface WorkloadDefinition {
  /** Names the results folder (`results/<name>-<variant>/…`): letters, digits, `.`, `_`, `-`. */
  readonly name: string;
  /** The recipe's variants; the first is the default (`--variant`). */
  readonly variants: readonly string[];
  /** Makes the client that runs in each worker process (one ZooKeeper session each). */
  readonly client: WorkloadClientFactory;
  /** The next op of the main phase, from the seeded random stream and the op count. */
  nextOp(random: Random, n: number): OpRequest;
  /** Ops each client runs once the faults are healed (final reads, drains, one more lock). */
  finalOps?(slot: number, clients: number): OpRequest[];
  /** `f`s of ops without side effects: a failed read is `fail`, not `info`. */
  readonly reads?: readonly string[];
  /**
   * The writes aimed faults are meant for: those that break when retried (lost replies wait for one) and a
   * leader's act (a leader is paused as it starts one). Default every write.
   */
  readonly aimAt?: readonly string[];
  /**
   * Which checkers judge a run of `variant` (or one list for every variant). `resource` is the guarded
   * resource's log, for Checker objects of one's own (it is empty when the definition is validated).
   */
  readonly checkers:
    | readonly CheckerChoice[]
    | ((variant: string, resource: readonly ResourceEvent[]) => readonly CheckerChoice[]);
  /** Run the guarded resource fenced (default: when a chosen checker says `fenced: true`). */
  fencedResource?(variant: string): boolean;
  /** Whether `variant` needs ZooKeeper multi (then it runs on node-zookeeper-client). */
  needsMulti?(variant: string): boolean;
  /** The `--nemesis` a run uses when none is given (e.g. "client-pause"); default partition,client-pause. */
  readonly defaultNemesis?: string;
  /**
   * The module that exports this workload (`import.meta.url`), which worker processes import. Default:
   * the file that called defineWorkload.
   */
  readonly module?: string | URL;
}

const BRAND = Symbol.for("zk-chaos.defined-workload");

/** A defined workload: a Workload whose client factory travels with it. */
export interface DefinedWorkload extends Workload {
  readonly client: WorkloadClientFactory;
  readonly [BRAND]: true;
}

const FIELDS = new Set([
  "name",
  "variants",
  "client",
  "nextOp",
  "finalOps",
  "reads",
  "aimAt",
  "checkers",
  "fencedResource",
  "needsMulti",
  "defaultNemesis",
  "module",
]);
const FUNCTIONS = ["client", "nextOp", "finalOps", "fencedResource", "needsMulti"] as const;

/** Whether `x` came out of defineWorkload (any copy of this module: the brand is a global symbol). */
export const isDefinedWorkload = (x: unknown): x is DefinedWorkload =>
  typeof x === "object" && x !== null && (x as Record<symbol, unknown>)[BRAND] === true;

/** The defined workload named `name` among a module's exports (the default export first). */
export function findDefined(mod: Record<string, unknown>, name: string): DefinedWorkload | undefined {
  return [mod.default, ...Object.values(mod)].find(
    (x): x is DefinedWorkload => isDefinedWorkload(x) && x.name === name,
  );
}

/** Define a workload. Throws BadInputError naming the first thing missing or wrong. */
export function defineWorkload(def: WorkloadDefinition): DefinedWorkload {
  if (typeof def !== "object" || def === null) throw new BadInputError("defineWorkload needs an object");
  const d = def as unknown as Record<string, unknown>;
  for (const k of Object.keys(d))
    if (!FIELDS.has(k)) throw new BadInputError(`unknown field '${k}' (fields: ${[...FIELDS].join(", ")})`);
  if (typeof d.name !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(d.name))
    throw new BadInputError(
      `missing or bad 'name' (letters, digits, '.', '_', '-'), got ${JSON.stringify(d.name) ?? "undefined"}`,
    );
  const name = d.name;
  const fail = (msg: string): never => {
    throw new BadInputError(`workload ${name}: ${msg}`);
  };
  const variants = d.variants;
  if (
    !Array.isArray(variants) ||
    variants.length === 0 ||
    !variants.every((v) => typeof v === "string" && v !== "")
  )
    fail("'variants' must be a non-empty list of names");
  if (new Set(variants as string[]).size !== (variants as string[]).length) fail("'variants' has duplicates");
  for (const f of FUNCTIONS)
    if (d[f] !== undefined && typeof d[f] !== "function")
      fail(`'${f}' must be a function, got ${typeof d[f]}`);
  if (d.client === undefined) fail("missing 'client' (variant, options) => ({ setup?, invoke, close? })");
  if (d.nextOp === undefined) fail("missing 'nextOp' (random, n) => ({ f, value })");
  if (d.checkers === undefined) fail("missing 'checkers' (e.g. [{ name: \"lock-safety\", fenced: true }])");
  if (typeof d.checkers !== "function" && !Array.isArray(d.checkers))
    fail("'checkers' must be a list or a function of the variant");
  if (
    d.defaultNemesis !== undefined &&
    (typeof d.defaultNemesis !== "string" || d.defaultNemesis.trim() === "")
  )
    fail("'defaultNemesis' must be a --nemesis text, e.g. \"client-pause\"");
  if (d.reads !== undefined && !(Array.isArray(d.reads) && d.reads.every((r) => typeof r === "string")))
    fail("'reads' must be a list of op names");
  if (d.aimAt !== undefined && !(Array.isArray(d.aimAt) && d.aimAt.every((r) => typeof r === "string")))
    fail("'aimAt' must be a list of op names");

  // Checkers are chosen per variant: validate them all now, so a typo fails before any container starts.
  const choose = (variant: string, resource: readonly ResourceEvent[]) => {
    const list = typeof def.checkers === "function" ? def.checkers(variant, resource) : def.checkers;
    if (!Array.isArray(list)) return fail(`checkers('${variant}') must return a list`);
    const checked = (list as unknown[]).map((c) => {
      try {
        return checkChoice(c);
      } catch (err) {
        return fail(`${err instanceof Error ? err.message : String(err)} (variant ${variant})`);
      }
    });
    const names = checked.map((c) => String(c.name));
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup !== undefined) fail(`checker ${dup} is listed twice for variant ${variant}`);
    return checked;
  };
  const chosen = new Map((variants as string[]).map((v) => [v, choose(v, [])]));

  // Naming after-heal adds its probe to the final phase (finalOps knows no variant: the probe of a variant
  // that does not name it lists nothing).
  const probed = [...chosen.values()].some((c) => probedRoots(c) !== null);
  const client: WorkloadClientFactory = probed
    ? (variant, options) =>
        withProbe(def.client(variant, options), probedRoots(chosen.get(variant) ?? []) ?? [])
    : def.client;
  const finalOps = probed
    ? (slot: number, clients: number) => [...(def.finalOps?.(slot, clients) ?? []), probeOp()]
    : def.finalOps
      ? (slot: number, clients: number) => def.finalOps!(slot, clients)
      : undefined;

  const module = moduleOf(def.module, name);
  return {
    [BRAND]: true,
    name,
    variants: [...(variants as string[])],
    client,
    clientModule: `${module}#${encodeURIComponent(name)}`,
    reads: new Set([...(def.reads ?? []), ...(probed ? [PROBE_F] : [])]),
    ...(def.aimAt ? { aimAt: [...def.aimAt] } : {}),
    nextOp: (random, n) => def.nextOp(random, n),
    ...(finalOps ? { finalOps } : {}),
    ...(def.needsMulti ? { needsMulti: (v: string) => def.needsMulti!(v) } : {}),
    ...(def.defaultNemesis !== undefined ? { defaultNemesis: def.defaultNemesis } : {}),
    fencedResource: (v) => (def.fencedResource ? def.fencedResource(v) : wantsFencing(chosen.get(v) ?? [])),
    checkers: (variant: string, resource: readonly ResourceEvent[]): Checker[] =>
      choose(variant, resource).map((c) => buildChecker(c, resource)),
  };
}

/** The defining module as a file URL: the explicit one, else the caller of defineWorkload (stack trace). */
function moduleOf(explicit: string | URL | undefined, name: string): string {
  if (explicit !== undefined) {
    const s = String(explicit);
    if (s.startsWith("file:")) return s.replace(/[?#].*$/, "");
    if (s.startsWith("/")) return pathToFileURL(s).href;
    throw new BadInputError(`workload ${name}: 'module' must be import.meta.url or an absolute path`);
  }
  const caller = callerFile();
  if (!caller)
    throw new BadInputError(
      `workload ${name}: cannot tell which module defines it; pass module: import.meta.url`,
    );
  return caller;
}

const HERE = fileURLToPath(import.meta.url);
const API_DIR = fileURLToPath(new URL("../api/", import.meta.url));

/** The first file in the call stack that is not this module (nor the public entry re-exporting it). */
function callerFile(): string | undefined {
  const stack = new Error().stack ?? "";
  for (const line of stack.split("\n").slice(1)) {
    const m = /(?:\(|at )((?:file:\/\/)?\/[^():]+?)(?:\?[^:()]*)?:\d+:\d+\)?\s*$/.exec(line.trim());
    if (!m) continue;
    const path = m[1]!.startsWith("file:") ? fileURLToPath(m[1]!) : m[1]!;
    if (path === HERE || path.startsWith(API_DIR)) continue;
    if (!existsSync(path)) continue;
    return pathToFileURL(path).href;
  }
  return undefined;
}
