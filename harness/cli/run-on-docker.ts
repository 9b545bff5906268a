/**
 * The composition of a run as users get it: the runner over ensembles in containers (docker/), and after
 * teardown the run's report and the results index (report/). The CLI, the public API, campaigns and the
 * benches run tests through here.
 */
import { join } from "node:path";
import { dockerClusters } from "../../docker/chaos-cluster.ts";
import { logger } from "../../kernel/log.ts";
import { readRunFiles } from "../../report/run-files.ts";
import { writeReport } from "../../report/report-page.ts";
import { writeResultsIndex } from "../../report/results-index.ts";
import { reproLines } from "../runner/command-line.ts";
import { runTest, type RunEnvironment, type RunOptions, type RunOutcome } from "../runner/run.ts";
import type { TestSpec } from "../runner/test-spec.ts";

const log = logger("cli");

/** Write a run's report, then the results index of its folder; either may fail without the other. */
export function writeRunReport(dir: string, resultsRoot: string): void {
  try {
    const files = readRunFiles(dir);
    writeReport(dir, files, reproLines(dir, files.test));
  } catch (err) {
    log.warn({ err: String(err) }, "could not write the report");
  }
  try {
    writeResultsIndex([resultsRoot], join(resultsRoot, "index.html"));
  } catch (err) {
    log.warn({ err: String(err) }, "could not update the results index");
  }
}

export const dockerEnvironment: RunEnvironment = { clusters: dockerClusters, afterRun: writeRunReport };

/** One test on a real ensemble, with its report. */
export function runOnDocker(
  raw: Partial<Record<keyof TestSpec, unknown>>,
  opts: RunOptions = {},
): Promise<RunOutcome> {
  return runTest(raw, dockerEnvironment, opts);
}
