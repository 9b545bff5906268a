/**
 * Checkers by name, for workloads defined with defineWorkload: `{ name: "lock-safety", fenced: true }`
 * becomes the checker over the guarded resource's log. Every option is validated; a bad one is one
 * BadInputError line.
 */
import { afterHeal, type AfterHealOptions } from "../checkers/after-heal.ts";
import type { Checker } from "../checkers/checker.ts";
import { duplicateWrites } from "../checkers/duplicate-writes.ts";
import { leaderSafety } from "../checkers/leader-safety.ts";
import { linearizable } from "../checkers/linearizable/linearizable.ts";
import { MODEL_NAMES, modelByName } from "../checkers/linearizable/models/index.ts";
import { lockSafety } from "../checkers/lock-safety.ts";
import type { ResourceEvent } from "../kernel/resource.ts";
import { sessionOrder } from "../checkers/session-order.ts";
import { totalQueue } from "../checkers/total-queue.ts";
import { BadInputError } from "../kernel/errors.ts";
import { counter } from "./lock/counter.ts";

/** Lock safety at the guarded resource: accepted critical sections never overlap, tokens never go down. */
export interface LockSafetySpec {
  readonly name: "lock-safety";
  /** Run the resource fenced: it rejects a token lower than the highest it has seen (and none at all). */
  readonly fenced?: boolean;
  /** Judge only accesses to this resource key. */
  readonly key?: string;
}

/** At most one leader's writes accepted per epoch; none from a deposed leader after its successor's first. */
export interface LeaderSafetySpec {
  readonly name: "leader-safety";
  readonly fenced?: boolean;
  readonly key?: string;
}

/** Every acknowledged `enqueue` dequeued (`dequeue` / `drain` ops) exactly once. */
export interface TotalQueueSpec {
  readonly name: "total-queue";
}

/** Each write id applied at most once at the resource, none acknowledged lost. */
export interface DuplicateWritesSpec {
  readonly name: "duplicate-writes";
  /** History `f`s that are writes (default: every f but read/get). */
  readonly fs?: readonly string[];
  readonly key?: string;
}

/** Linearizability of the history against a model (`cas-register`, `register`, `mutex`, `kv`, …). */
export interface LinearizableSpec {
  readonly name: "linearizable";
  readonly model: string;
  /** The model's state before any operation (JSON: `0` for a register, `{ x: 0, y: 0 }` for multi-register). */
  readonly init?: unknown;
  /** Search time limit; past it the verdict is "unknown" (default 60 000). */
  readonly timeoutMs?: number;
}

/** Per-session zxids never go back in time (ops whose value carries a `zxid`). */
export interface SessionOrderSpec {
  readonly name: "session-order";
}

/** Lost increments at a read-modify-write counter: enter reads v, exit writes v + 1. */
export interface LostUpdatesSpec {
  readonly name: "lost-updates";
  readonly key?: string;
}

/**
 * After the last heal the system works again: an op of `progress` succeeds within `boundMs` (every
 * acknowledged enqueue dequeued with `drained`), and no ephemeral under `ephemerals` belongs to a session no
 * client holds. Naming it adds the probe that lists `ephemerals` to the final phase.
 */
export interface AfterHealSpec {
  readonly name: "after-heal";
  /** fs whose ok shows progress (default: any op). */
  readonly progress?: readonly string[];
  readonly drained?: boolean;
  /** Znodes (each and its children) whose ephemeral owners the probe lists. */
  readonly ephemerals?: readonly string[];
  /** Milliseconds after the last heal (default: the session timeout + 25 s). */
  readonly boundMs?: number;
}

export type CheckerSpec =
  | AfterHealSpec
  | LockSafetySpec
  | LeaderSafetySpec
  | TotalQueueSpec
  | DuplicateWritesSpec
  | LinearizableSpec
  | SessionOrderSpec
  | LostUpdatesSpec;

export type CheckerName = CheckerSpec["name"];

/** What a workload's `checkers` may list: a name, a name with options, or a Checker of one's own. */
export type CheckerChoice = CheckerName | CheckerSpec | Checker;

type Build = (spec: Record<string, unknown>, resource: readonly ResourceEvent[]) => Checker;

const byKey = (resource: readonly ResourceEvent[], key: unknown): readonly ResourceEvent[] =>
  key === undefined ? resource : resource.filter((e) => e.key === key);

interface Entry {
  readonly options: Readonly<Record<string, "boolean" | "string" | "strings" | "paths" | "number" | "json">>;
  readonly required?: readonly string[];
  readonly build: Build;
}

const REGISTRY: Readonly<Record<CheckerName, Entry>> = {
  "lock-safety": {
    options: { fenced: "boolean", key: "string" },
    build: (s, r) => lockSafety(byKey(r, s.key)),
  },
  "leader-safety": {
    options: { fenced: "boolean", key: "string" },
    build: (s, r) => leaderSafety(byKey(r, s.key)),
  },
  "total-queue": { options: {}, build: () => totalQueue },
  "duplicate-writes": {
    options: { fs: "strings", key: "string" },
    build: (s, r) =>
      duplicateWrites(byKey(r, s.key), s.fs === undefined ? {} : { fs: s.fs as readonly string[] }),
  },
  linearizable: {
    options: { model: "string", init: "json", timeoutMs: "number" },
    required: ["model"],
    build: (s) =>
      linearizable(modelByName(s.model as string, s.init)!, {
        timeoutMs: (s.timeoutMs as number | undefined) ?? 60_000,
      }),
  },
  "session-order": { options: {}, build: () => sessionOrder },
  "lost-updates": {
    options: { key: "string" },
    build: (s, r) => counter(r, s.key as string | undefined),
  },
  "after-heal": {
    options: { progress: "strings", drained: "boolean", ephemerals: "paths", boundMs: "number" },
    build: (s) => afterHeal(s as AfterHealOptions),
  },
};

export const CHECKER_NAMES: readonly CheckerName[] = Object.keys(REGISTRY) as CheckerName[];

const isChecker = (c: unknown): c is Checker =>
  typeof c === "object" && c !== null && typeof (c as Checker).check === "function";

/** Whether `v` is plain JSON data (what `--init` could have given). */
const isJson = (v: unknown): boolean =>
  v === null ||
  typeof v === "string" ||
  typeof v === "boolean" ||
  (typeof v === "number" && Number.isFinite(v)) ||
  (Array.isArray(v) && v.every(isJson)) ||
  (typeof v === "object" &&
    Object.getPrototypeOf(v) === Object.prototype &&
    Object.values(v as object).every(isJson));

const fits = (kind: string, v: unknown): boolean =>
  kind === "json"
    ? isJson(v)
    : kind === "strings"
      ? Array.isArray(v) && v.every((x) => typeof x === "string")
      : kind === "paths"
        ? Array.isArray(v) && v.every((x) => typeof x === "string" && /^\/(?:[^/]+(?:\/[^/]+)*)?$/.test(x))
        : kind === "number"
          ? typeof v === "number" && Number.isFinite(v) && v > 0
          : typeof v === kind;

const KIND_TEXT: Record<string, string> = {
  strings: "a list of strings",
  paths: "a list of absolute znode paths",
  number: "a positive number",
  json: "JSON data",
};

/** The znodes the after-heal probe lists for these choices (none when after-heal is not named). */
export function probedRoots(choices: readonly (Record<string, unknown> | Checker)[]): string[] | null {
  const spec = choices.find((c) => !isChecker(c) && c.name === "after-heal") as
    Record<string, unknown> | undefined;
  return spec ? ((spec.ephemerals as string[] | undefined) ?? []) : null;
}

/** A checker choice as a spec object (names expanded), validated; throws BadInputError naming the problem. */
export function checkChoice(choice: unknown): Record<string, unknown> | Checker {
  if (isChecker(choice)) {
    if (typeof choice.name !== "string" || choice.name === "")
      throw new BadInputError("a checker object needs a name");
    return choice;
  }
  const spec = typeof choice === "string" ? { name: choice } : choice;
  if (typeof spec !== "object" || spec === null || typeof (spec as { name?: unknown }).name !== "string")
    throw new BadInputError(
      `a checker must be a name, { name, ...options } or a Checker, got ${JSON.stringify(choice) ?? String(choice)}`,
    );
  const s = spec as Record<string, unknown>;
  const name = s.name as string;
  const entry = Object.hasOwn(REGISTRY, name) ? REGISTRY[name as CheckerName] : undefined;
  if (!entry) throw new BadInputError(`unknown checker '${name}' (known: ${CHECKER_NAMES.join(", ")})`);
  for (const [k, v] of Object.entries(s)) {
    if (k === "name" || v === undefined) continue;
    const kind = entry.options[k];
    if (!kind) {
      const known = Object.keys(entry.options);
      throw new BadInputError(
        `checker ${name} has no option '${k}'${known.length ? ` (options: ${known.join(", ")})` : ""}`,
      );
    }
    if (!fits(kind, v))
      throw new BadInputError(
        `checker ${name}: option ${k} must be ${KIND_TEXT[kind] ?? `a ${kind}`}, got ${JSON.stringify(v)}`,
      );
  }
  for (const k of entry.required ?? [])
    if (s[k] === undefined) throw new BadInputError(`checker ${name} needs option '${k}'`);
  if (name === "linearizable" && !modelByName(s.model as string))
    throw new BadInputError(
      `checker linearizable: unknown model '${String(s.model)}' (models: ${MODEL_NAMES.join(", ")})`,
    );
  if (name === "linearizable" && s.init !== undefined)
    modelByName(s.model as string, s.init, "checker linearizable: option init");
  return s;
}

/** The Checker for a validated choice, over the run's resource log. */
export function buildChecker(
  choice: Record<string, unknown> | Checker,
  resource: readonly ResourceEvent[],
): Checker {
  if (isChecker(choice)) return choice;
  return REGISTRY[choice.name as CheckerName].build(choice, resource);
}

/** Whether any of the choices asks for a fenced resource. */
export const wantsFencing = (choices: readonly (Record<string, unknown> | Checker)[]): boolean =>
  choices.some((c) => !isChecker(c) && c.fenced === true);
