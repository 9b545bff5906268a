/**
 * The test spec: DESIGN.md's `run` options, validated. Everything a run needs to be repeated exactly is
 * here (it is written to test.json; `repro` reads it back).
 */
import { BadInputError } from "../core/errors.ts";
import { randomSeed } from "../core/random.ts";

export const NEMESES = ["partition", "latency", "pause", "kill", "client-pause", "none"] as const;
export const DRIVERS = ["zookeeper", "node-zookeeper-client"] as const;

export interface TestSpec {
  workload: string;
  variant: string;
  nodes: number;
  clients: number;
  client: (typeof DRIVERS)[number];
  /** Seconds of the main phase. */
  timeLimit: number;
  /** Total ops per second over all clients; 0 = as fast as they go. */
  rate: number;
  nemesis: string[];
  /** Seconds between fault starts and stops. */
  nemesisInterval: number;
  partitionMode: "blackhole" | "refuse";
  seed: number;
  results: string;
  sessionTimeoutMs: number;
  tickTimeMs: number;
  zkImage?: string;
  proxyImage?: string;
}

export const DEFAULT_SPEC: Omit<TestSpec, "seed" | "variant"> = {
  workload: "lock",
  nodes: 3,
  clients: 5,
  client: "zookeeper",
  timeLimit: 60,
  rate: 200,
  nemesis: ["partition", "client-pause"],
  nemesisInterval: 10,
  partitionMode: "blackhole",
  results: "results",
  sessionTimeoutMs: 4000,
  tickTimeMs: 500,
};

/** Merge raw options over the defaults and check every field; one BadInputError line for the first problem. */
export function validateSpec(
  raw: Partial<Record<keyof TestSpec, unknown>>,
  variants: readonly string[],
): TestSpec {
  const s = { ...DEFAULT_SPEC, ...stripUndefined(raw) } as Record<string, unknown>;
  const int = (k: string, min: number, max: number) => {
    const v = s[k];
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max)
      throw new BadInputError(
        `--${kebab(k)} must be a whole number from ${min} to ${max}, got '${String(v)}'`,
      );
  };
  const num = (k: string, min: number) => {
    const v = s[k];
    if (typeof v !== "number" || !Number.isFinite(v) || v < min)
      throw new BadInputError(`--${kebab(k)} must be a number ≥ ${min}, got '${String(v)}'`);
  };
  int("nodes", 3, 5);
  int("clients", 1, 64);
  num("timeLimit", 1);
  num("rate", 0);
  num("nemesisInterval", 1);
  int("sessionTimeoutMs", 1000, 60_000);
  int("tickTimeMs", 50, 5000);
  if (!DRIVERS.includes(s.client as never))
    throw new BadInputError(`--client must be one of ${DRIVERS.join(", ")}, got '${String(s.client)}'`);
  if (s.partitionMode !== "blackhole" && s.partitionMode !== "refuse")
    throw new BadInputError(`--partition-mode must be blackhole or refuse, got '${String(s.partitionMode)}'`);
  const nemesis = typeof s.nemesis === "string" ? s.nemesis.split(",").map((x) => x.trim()) : s.nemesis;
  if (!Array.isArray(nemesis) || nemesis.length === 0)
    throw new BadInputError("--nemesis needs a comma list of faults");
  for (const n of nemesis)
    if (!NEMESES.includes(n as never))
      throw new BadInputError(`unknown nemesis '${String(n)}' (known: ${NEMESES.join(", ")})`);
  s.nemesis = nemesis;
  s.variant ??= variants[0];
  if (!variants.includes(s.variant as string))
    throw new BadInputError(
      `workload ${String(s.workload)} has no variant '${String(s.variant)}' (variants: ${variants.join(", ")})`,
    );
  s.seed ??= randomSeed();
  int("seed", 0, 2 ** 31 - 1);
  if (typeof s.results !== "string" || s.results === "") throw new BadInputError("--results needs a folder");
  return s as unknown as TestSpec;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const kebab = (k: string) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/-ms$/, "-ms");
