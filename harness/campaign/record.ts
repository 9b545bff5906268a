/** What a campaign keeps of each run: the verdict, where its files are, and how to run it again. */
import type { CheckResult } from "../../checkers/checker.ts";
import { reproLines } from "../runner/command-line.ts";
import type { TestSpec } from "../runner/test-spec.ts";

import type { CampaignRun } from "./matrix.ts";
import type { Verdict } from "./verdict.ts";

export interface RunRecord {
  readonly run: CampaignRun;
  readonly verdict: Verdict;
  /** Wall time of the run, seconds. */
  readonly seconds: number;
  /** The results folder (absolute), when the run got as far as making one. */
  readonly dir?: string;
  readonly checkers?: Readonly<Record<string, CheckResult>>;
  readonly stats?: Readonly<Record<string, unknown>>;
  /** Seconds from the first client op to the first violation, for an invalid run. */
  readonly firstViolationS?: number;
  /** The version its servers reported. */
  readonly zookeeperVersion?: string;
  /** The harness error of a crashed run. */
  readonly error?: string;
  /** The options the run was started with (before defaults). */
  readonly spec: Readonly<Partial<TestSpec>>;
}

/** How to reproduce a campaign's run: its cell (workload, variant, nemesis, seed) over the shared options. */
export function recordRepro(r: Pick<RunRecord, "spec" | "run" | "dir">, cwd = process.cwd()): string[] {
  const { workload, variant, nemesis, seed, zkVersion } = r.run;
  return reproLines(
    r.dir,
    { ...r.spec, workload, variant, nemesis, seed, ...(zkVersion ? { zkVersion } : {}) },
    cwd,
  );
}
