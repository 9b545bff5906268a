/** What a campaign keeps of each run: the verdict, where its files are, and how to run it again. */
import { relative } from "node:path";
import type { CheckResult } from "../../checkers/checker.ts";
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
  /** The harness error of a crashed run. */
  readonly error?: string;
  /** The options the run was started with (before defaults). */
  readonly spec: Readonly<Partial<TestSpec>>;
}

/** A path as the user should type it: relative to the working directory when it is below it. */
export function shownPath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith("..") ? rel : path;
}

/** The `zk-chaos run` command line for the same spec and seed. */
export function runCommandLine(r: Pick<RunRecord, "spec" | "run">): string {
  const s = r.spec;
  const args = [
    `--workload ${r.run.workload}`,
    `--variant ${r.run.variant}`,
    `--nemesis ${r.run.nemesis.join(",")}`,
    `--seed ${r.run.seed}`,
  ];
  if (s.timeLimit !== undefined) args.push(`--time-limit ${s.timeLimit}`);
  if (s.nodes !== undefined) args.push(`--nodes ${s.nodes}`);
  if (s.clients !== undefined) args.push(`--clients ${s.clients}`);
  return `npx zk-chaos run ${args.join(" ")}`;
}

/** How to reproduce a run: `repro DIR` where its folder exists, and the equivalent `run` line. */
export function reproLines(r: Pick<RunRecord, "spec" | "run" | "dir">, cwd = process.cwd()): string[] {
  return [...(r.dir ? [`npx zk-chaos repro ${shownPath(r.dir, cwd)}`] : []), runCommandLine(r)];
}
