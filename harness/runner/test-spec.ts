/**
 * The test spec: DESIGN.md's `run` options, validated. Everything a run needs to be repeated exactly is
 * here (it is written to test.json; `repro` reads it back).
 */
import { existsSync, statSync } from "node:fs";
import { BadInputError } from "../../kernel/errors.ts";
import { randomSeed } from "../../kernel/random.ts";
import {
  DEFAULT_ZK_VERSION,
  isZkVersion,
  MAX_OBSERVERS,
  ZK_VERSIONS,
  type ZkVersion,
} from "../../kernel/zk-version.ts";
import { DRIVER_NAMES, type DriverName } from "../../workloads/zk/client.ts";
import { CLIENT_TARGETS, type ClientTarget } from "../nemesis/nemesis.ts";
import { checkFitsEnsemble } from "../nemesis/registry.ts";
import {
  entryText,
  parseNemesisEntry,
  parseNemesisText,
  type NemesisPart,
} from "../nemesis/nemesis-syntax.ts";

export interface TestSpec {
  workload: string;
  variant: string;
  /** Voting servers. */
  nodes: number;
  /** Observers besides them: clients may connect to them; partitions and the quorum wait leave them out. */
  observers: number;
  /** The ZooKeeper line: 3.4, 3.8 or 3.9. */
  zkVersion: ZkVersion;
  clients: number;
  client: DriverName;
  /** Seconds of the main phase. */
  timeLimit: number;
  /** Total ops per second over all clients; 0 = as fast as they go. */
  rate: number;
  nemesis: string[];
  /** Seconds between fault starts and stops. */
  nemesisInterval: number;
  /** At most this many faults (schedule steps) in the main phase; absent: as many as fit. */
  faults?: number;
  partitionMode: "blackhole" | "refuse";
  /** signal: SIGSTOP the client; network: blackhole that client's own links. */
  clientPauseMode: "signal" | "network";
  /** Which client a client fault hits: random, holder, leader, or auto (what fits the workload). */
  target: ClientTarget;

  seed: number;
  results: string;
  sessionTimeoutMs: number;
  /**
   * Milliseconds after the last heal within which the system must work again (after-heal); absent: the
   * workload's own bound, else the session timeout + 25 s.
   */
  afterHealBoundMs?: number;
  tickTimeMs: number;
  /** Seconds the checkers may take after the run (0: no limit); past it the verdict is unknown. */
  checkTimeout: number;
  zkImage?: string;
  proxyImage?: string;
}

/** Spec fields and their `run` flags, in the order the line gives them. */
export const RUN_FLAGS = [
  ["workload", "--workload"],
  ["variant", "--variant"],
  ["zkVersion", "--zk-version"],
  ["nodes", "--nodes"],
  ["observers", "--observers"],
  ["clients", "--clients"],
  ["client", "--client"],
  ["timeLimit", "--time-limit"],
  ["rate", "--rate"],
  ["nemesis", "--nemesis"],
  ["nemesisInterval", "--nemesis-interval"],
  ["faults", "--faults"],
  ["partitionMode", "--partition-mode"],
  ["clientPauseMode", "--client-pause-mode"],
  ["target", "--target"],
  ["sessionTimeoutMs", "--session-timeout"],
  ["afterHealBoundMs", "--after-heal-bound"],
  ["checkTimeout", "--check-timeout"],
  ["seed", "--seed"],
  ["results", "--results"],
  ["zkImage", "--zk-image"],
  ["proxyImage", "--proxy-image"],
] as const satisfies readonly (readonly [keyof TestSpec, string])[];

export const DEFAULT_SPEC: Omit<TestSpec, "seed" | "variant"> = {
  workload: "lock",
  nodes: 3,
  observers: 0,
  zkVersion: DEFAULT_ZK_VERSION,
  clients: 5,
  client: "zookeeper",
  timeLimit: 60,
  rate: 200,
  nemesis: ["partition", "client-pause"],
  nemesisInterval: 10,
  partitionMode: "blackhole",
  clientPauseMode: "signal",
  target: "auto",
  results: "results",
  sessionTimeoutMs: 4000,
  tickTimeMs: 500,
  checkTimeout: 600,
};

/** A user's value in an error message: short, one line, and never a throwing toString. */
export function show(v: unknown): string {
  if (typeof v === "string")
    // eslint-disable-next-line no-control-regex
    return `'${(v.length > 40 ? `${v.slice(0, 40)}…` : v).replace(/[\u0000-\u001f\u007f]/g, "?")}'`;
  if (v === null || typeof v === "number" || typeof v === "boolean" || typeof v === "undefined")
    return `'${String(v)}'`;
  if (typeof v === "bigint") return `'${`${v}`.slice(0, 40)}'`;
  return Array.isArray(v) ? "a list" : typeof v === "object" ? "an object" : typeof v;
}

/** Image references as Docker writes them (name[:tag][@digest]), nothing else. */
const IMAGE = /^[a-z0-9][a-z0-9._/:@-]{0,254}$/i;

/**
 * Merge raw options over the defaults and check every field; one BadInputError line for the first problem.
 * `raw` may come from anywhere (CLI, test.json): any shape answers with a BadInputError, never a TypeError.
 */
export function validateSpec(
  raw: Partial<Record<keyof TestSpec, unknown>>,
  variants: readonly string[],
): TestSpec {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    throw new BadInputError(`a test spec must be an object, got ${show(raw)}`);
  const s = { ...DEFAULT_SPEC, ...stripUndefined(raw) } as Record<string, unknown>;
  const int = (k: string, min: number, max: number) => {
    const v = s[k];
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max)
      throw new BadInputError(`${flagOf(k)} must be a whole number from ${min} to ${max}, got ${show(v)}`);
  };
  const num = (k: string, min: number, max = 1e6) => {
    const v = s[k];
    if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max)
      throw new BadInputError(`${flagOf(k)} must be a number from ${min} to ${max}, got ${show(v)}`);
  };
  if (typeof s.workload !== "string" || s.workload === "")
    throw new BadInputError(`--workload must be a name, got ${show(s.workload)}`);
  int("nodes", 3, 5);
  int("observers", 0, MAX_OBSERVERS);
  if (!isZkVersion(s.zkVersion))
    throw new BadInputError(
      `--zk-version must be one of ${ZK_VERSIONS.join(", ")}, got ${show(s.zkVersion)}`,
    );
  int("clients", 1, 64);
  num("timeLimit", 1);
  num("rate", 0);
  num("nemesisInterval", 1);
  int("sessionTimeoutMs", 1000, 60_000);
  if (s.afterHealBoundMs !== undefined) int("afterHealBoundMs", 1000, 3_600_000);
  int("tickTimeMs", 50, 5000);
  num("checkTimeout", 0);
  if (s.faults !== undefined) int("faults", 0, 100_000);
  if (!DRIVER_NAMES.includes(s.client as never))
    throw new BadInputError(`--client must be one of ${DRIVER_NAMES.join(", ")}, got ${show(s.client)}`);
  if (s.partitionMode !== "blackhole" && s.partitionMode !== "refuse")
    throw new BadInputError(`--partition-mode must be blackhole or refuse, got ${show(s.partitionMode)}`);
  if (s.clientPauseMode !== "signal" && s.clientPauseMode !== "network")
    throw new BadInputError(`--client-pause-mode must be signal or network, got ${show(s.clientPauseMode)}`);
  if (!CLIENT_TARGETS.includes(s.target as never))
    throw new BadInputError(`--target must be one of ${CLIENT_TARGETS.join(", ")}, got ${show(s.target)}`);
  // Entries take turns; `a+b` composes; `a:k=v` sets a fault's options. Stored normalised, as written.
  const nemesis: unknown = s.nemesis;
  let entries: NemesisPart[][];
  if (typeof nemesis === "string") entries = parseNemesisText(nemesis);
  else if (Array.isArray(nemesis) && nemesis.length > 0)
    entries = nemesis.map((entry) => {
      if (typeof entry !== "string") throw new BadInputError(`unknown nemesis ${show(entry)}`);
      return parseNemesisEntry(entry);
    });
  else throw new BadInputError("--nemesis needs a comma list of faults");
  // Options whose limits depend on the ensemble (how much lag a follower takes and stays in the quorum).
  for (const part of entries.flat())
    checkFitsEnsemble(part.name, part.options as never, { tickTimeMs: s.tickTimeMs as number });
  s.nemesis = entries.map(entryText);
  s.variant ??= variants[0];
  if (typeof s.variant !== "string" || !variants.includes(s.variant))
    throw new BadInputError(
      `workload ${show(s.workload)} has no variant ${show(s.variant)} (variants: ${variants.join(", ")})`,
    );
  s.seed ??= randomSeed();
  int("seed", 0, 2 ** 31 - 1);
  if (typeof s.results !== "string" || s.results === "" || s.results.includes("\0"))
    throw new BadInputError(`--results needs a folder, got ${show(s.results)}`);
  if (existsSync(s.results) && !statSync(s.results).isDirectory())
    throw new BadInputError(`--results ${show(s.results)} is a file, not a folder`);
  for (const k of ["zkImage", "proxyImage"] as const) {
    const v = s[k];
    if (v !== undefined && (typeof v !== "string" || !IMAGE.test(v)))
      throw new BadInputError(`${flagOf(k)} must be an image name, got ${show(v)}`);
  }
  return s as unknown as TestSpec;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The `run` flag of a spec field (RUN_FLAGS); a field without one (tickTimeMs) by its name in kebab case. */
const flagOf = (k: string): string =>
  RUN_FLAGS.find(([key]) => key === k)?.[1] ?? `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
