/**
 * Run a campaign's matrix, K runs at a time, each with its own ensemble, results folder and harness.log. A
 * run that fails with a harness error is recorded as crashed and the campaign goes on; an abort stops
 * the runs under way (they heal and check what they recorded) and skips the rest.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { withLogScope } from "../../kernel/log.ts";
import type { RunOptions, RunOutcome, RunProgress } from "../runner/run.ts";
import type { TestSpec } from "../runner/test-spec.ts";
import type { CampaignRun } from "./matrix.ts";
import type { RunRecord } from "./record.ts";
import { verdictOf } from "./verdict.ts";

export type RunTestFn = (
  raw: Partial<Record<keyof TestSpec, unknown>>,
  opts: RunOptions,
) => Promise<RunOutcome>;

export type CampaignEvent =
  | { readonly type: "start"; readonly run: CampaignRun }
  | { readonly type: "progress"; readonly run: CampaignRun; readonly progress: RunProgress }
  | { readonly type: "done"; readonly record: RunRecord };

export interface CampaignOptions {
  readonly runs: readonly CampaignRun[];
  /** Options every run shares (timeLimit, nodes, clients, results…). */
  readonly base: Readonly<Partial<TestSpec>>;
  /** Runs at a time (≥ 1). */
  readonly parallel: number;
  /** The runner (runTest; a fake in tests). */
  readonly runTest: RunTestFn;
  readonly signal?: AbortSignal;
  readonly onEvent?: (e: CampaignEvent) => void;
}

/** Every run's record, in matrix order. */
export async function runCampaign(o: CampaignOptions): Promise<RunRecord[]> {
  const records: (RunRecord | undefined)[] = o.runs.map(() => undefined);
  let next = 0;
  const lane = async () => {
    while (!o.signal?.aborted && next < o.runs.length) {
      const i = next++;
      records[i] = await runOne(o, o.runs[i]!);
      o.onEvent?.({ type: "done", record: records[i]! });
    }
  };
  const lanes = Math.max(1, Math.min(o.parallel, o.runs.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  return o.runs.map(
    (run, i) => records[i] ?? { run, verdict: "skipped", seconds: 0, spec: campaignRunSpec(o.base, run) },
  );
}

/** The spec one cell runs: the shared options and the cell's own. */
export const campaignRunSpec = (base: Readonly<Partial<TestSpec>>, run: CampaignRun): Partial<TestSpec> => ({
  ...base,
  workload: run.workload,
  variant: run.variant,
  // One entry: a campaign's `a+b` cell runs its faults together (composed), not in turn.
  nemesis: [run.nemesis.join("+")],
  zkVersion: run.zkVersion,
  seed: run.seed,
});

async function runOne(o: CampaignOptions, run: CampaignRun): Promise<RunRecord> {
  const spec = campaignRunSpec(o.base, run);
  const started = Date.now();
  o.onEvent?.({ type: "start", run });
  try {
    const out = await withLogScope(() =>
      o.runTest(spec, {
        ...(o.signal ? { signal: o.signal } : {}),
        onProgress: (progress) => o.onEvent?.({ type: "progress", run, progress }),
      }),
    );
    const first = (out.results as { firstViolationS?: unknown }).firstViolationS;
    return {
      run,
      spec,
      verdict: verdictOf(out.results.valid),
      seconds: (Date.now() - started) / 1000,
      dir: out.dir,
      checkers: out.results.checkers,
      stats: out.results.stats,
      ...(typeof first === "number" ? { firstViolationS: first } : {}),
      ...(out.results.zookeeperVersion ? { zookeeperVersion: out.results.zookeeperVersion } : {}),
    };
  } catch (err) {
    const dir = findRunDir(spec.results ?? "results", run, started);
    return {
      run,
      spec,
      verdict: "crashed",
      seconds: (Date.now() - started) / 1000,
      error: err instanceof Error ? err.message : String(err),
      ...(dir ? { dir } : {}),
    };
  }
}

/** The folder a crashed run left (its test.json names the same run), if it got that far. */
export function findRunDir(results: string, run: CampaignRun, sinceMs: number): string | undefined {
  const parent = resolve(results, `${run.workload}-${run.variant}`);
  if (!existsSync(parent)) return undefined;
  for (const name of readdirSync(parent).sort().reverse()) {
    const dir = join(parent, name);
    try {
      if (statSync(dir).mtimeMs < sinceMs - 2000) continue;
      const t = JSON.parse(readFileSync(join(dir, "test.json"), "utf8")) as Partial<TestSpec>;
      if (
        t.seed === run.seed &&
        (t.nemesis ?? []).join(",") === run.nemesis.join("+") &&
        (t.zkVersion === undefined || t.zkVersion === run.zkVersion)
      )
        return dir;
    } catch {
      // not a run folder, or one without test.json yet
    }
  }
  return undefined;
}

/** About 1 GiB of memory per three-node ensemble (JVM heaps, proxy, workers, the checker). */
export const BYTES_PER_NODE = 1024 ** 3 / 3;

/** K capped so K ensembles fit in free memory (at least 1); `note` says why when it was capped. */
export function capParallel(
  requested: number,
  nodes: number,
  freeBytes: number,
): { parallel: number; note?: string } {
  const per = nodes * BYTES_PER_NODE;
  const fits = Math.max(1, Math.floor(freeBytes / per));
  const gib = (b: number) => (b / 1024 ** 3).toFixed(1);
  if (freeBytes < per)
    return {
      parallel: 1,
      note: `only ${gib(freeBytes)} GiB free, less than the ~${gib(per)} GiB a ${nodes}-node ensemble needs: one run at a time`,
    };
  if (requested <= fits) return { parallel: requested };
  return {
    parallel: fits,
    note: `--parallel ${requested} capped to ${fits}: ${gib(freeBytes)} GiB free, about ${gib(per)} GiB per ${nodes}-node ensemble`,
  };
}
