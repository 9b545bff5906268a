/**
 * `zk-chaos campaign`: the nightly matrix. Checks the whole matrix first, runs it (K at a time), prints a
 * table, writes JUnit and results/index.html; the exit code is the worst verdict (harness/campaign/verdict.ts).
 */
import { freemem } from "node:os";
import { join } from "node:path";
import { removeLabelled } from "../../../docker/cleanup.ts";
import { ensureProxyImage, ensureZooKeeperImage } from "../../../docker/images.ts";
import { workloadByName } from "../../../workloads/index.ts";
import { runCampaign, campaignRunSpec, capParallel, type CampaignEvent } from "../../campaign/campaign.ts";
import { writeJUnit } from "../../campaign/junit.ts";
import { expandMatrix, nemesisLabel, runClass, type CampaignRun } from "../../campaign/matrix.ts";
import type { RunRecord } from "../../campaign/record.ts";
import { shownPath } from "../../runner/command-line.ts";
import { summaryTable } from "../../campaign/summary.ts";
import { notValid } from "../../campaign/evidence.ts";
import { campaignExitCode } from "../../campaign/verdict.ts";
import { progress } from "../../../kernel/progress.ts";
import { randomSeed } from "../../../kernel/random.ts";
import type { RunProgress } from "../../runner/run.ts";
import { DEFAULT_SPEC, validateSpec, type TestSpec } from "../../runner/test-spec.ts";
import type { CampaignCliOptions } from "../program.ts";
import { guardRun } from "../run-guard.ts";

export async function campaignCommand(opts: CampaignCliOptions): Promise<number> {
  const firstSeed = opts.seed ?? randomSeed();
  const runs = expandMatrix({
    workloads: opts.workloads,
    variants: opts.variants,
    nemeses: opts.nemeses,
    zkVersions: opts.zkVersions,
    seeds: opts.seeds,
    firstSeed,
  });
  const base: Partial<TestSpec> = { results: opts.results };
  if (opts.timeLimit !== undefined) base.timeLimit = opts.timeLimit;
  if (opts.nodes !== undefined) base.nodes = opts.nodes;
  if (opts.observers !== undefined) base.observers = opts.observers;
  if (opts.clients !== undefined) base.clients = opts.clients;
  // The shared options get the same checks as a run's (one line, exit 254, before anything starts).
  for (const r of runs) validateSpec(campaignRunSpec(base, r), workloadByName(r.workload).variants);

  const nodes = opts.nodes ?? DEFAULT_SPEC.nodes;
  const cap = capParallel(opts.parallel, nodes, freemem());
  const total = runs.length;
  process.stdout.write(
    `campaign: ${total} run${total === 1 ? "" : "s"}, seed ${firstSeed}` +
      `${opts.seeds > 1 ? ` (seeds ${firstSeed}..${firstSeed + opts.seeds - 1})` : ""}, ` +
      `${cap.parallel} at a time, ${opts.timeLimit ?? DEFAULT_SPEC.timeLimit} s each\n`,
  );
  if (cap.note) process.stderr.write(`campaign: ${cap.note}\n`);

  // Once for all runs: leftovers of dead harnesses go, and the images exist before K runs want them.
  await removeLabelled({ orphansOnly: true }).catch(() => undefined);
  for (const zkVersion of new Set(runs.map((r) => r.zkVersion))) await ensureZooKeeperImage({ zkVersion });
  await ensureProxyImage();

  const abort = new AbortController();
  // Signals and uncaught errors stop the runs under way (they heal and check) and skip the rest.
  const guard = guardRun(abort);
  const { runOnDocker } = await import("../run-on-docker.ts");
  const started = Date.now();
  const show = progressDisplay(total, new Set(runs.map((r) => r.zkVersion)).size > 1);
  // Runs that end after an uncaught error aborted them are crashed, in the table and the JUnit (settle).
  const settled = new Map<number, RunRecord>();
  let records;
  try {
    records = await runCampaign({
      runs,
      base,
      parallel: cap.parallel,
      runTest: runOnDocker,
      signal: abort.signal,
      onEvent: (e) => {
        if (e.type !== "done") return show(e);
        const record = guard.settle(e.record);
        settled.set(record.run.index, record);
        show({ ...e, record });
      },
    });
  } finally {
    guard.dispose();
  }
  records = records.map((r) => settled.get(r.run.index) ?? r);

  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  process.stdout.write(`\n${summaryTable(records)}campaign took ${minutes} min\n`);
  if (opts.junit) {
    writeJUnit(opts.junit, records);
    process.stdout.write(`junit: ${opts.junit}\n`);
  }
  await updateIndex(opts.results);
  guard.throwIfFatal(); // an uncaught error stopped the campaign: 255 (its line is already out)
  return campaignExitCode(records.map((r) => r.verdict));
}

/** Progress on stderr: a line when a run starts and ends, and the runs under way in between. */
function progressDisplay(total: number, byVersion: boolean): (e: CampaignEvent) => void {
  const p = progress("campaign");
  const active = new Map<number, { run: CampaignRun; progress?: RunProgress }>();
  let done = 0;
  const name = (r: CampaignRun) =>
    `[${r.index}/${total}] ${runClass(r)} ${nemesisLabel(r)}${byVersion ? ` zk ${r.zkVersion}` : ""} seed ${r.seed}`;
  return (e) => {
    if (e.type === "start") {
      active.set(e.run.index, { run: e.run });
      p.done(`${name(e.run)}: started`);
    } else if (e.type === "progress") {
      active.set(e.run.index, { run: e.run, progress: e.progress });
      const detail = [...active.values()]
        .map(({ run, progress: s }) =>
          s
            ? `#${run.index} ${s.phase}, ${s.opsDone} ops, ${s.faultsActive.join(",") || "no faults"}, ${s.secondsLeft}s left`
            : `#${run.index} starting`,
        )
        .join(" · ");
      p.update(`${done}/${total} done`, detail);
    } else {
      const r = e.record;
      active.delete(r.run.index);
      done++;
      const why =
        r.verdict === "crashed" ? ` (${r.error})` : r.checkers ? ` (${notValid(r.checkers).join(", ")})` : "";
      p.done(
        `${name(r.run)}: ${r.verdict === "invalid" ? "INVALID" : r.verdict}${why === " ()" ? "" : why} ` +
          `in ${Math.round(r.seconds)}s${r.dir ? ` → ${shownPath(r.dir)}` : ""}`,
      );
    }
  };
}

/** results/index.html over every run under `results` (report/results-index.ts). */
async function updateIndex(results: string): Promise<void> {
  const out = join(results, "index.html");
  try {
    const { writeResultsIndex } = await import("../../../report/results-index.ts");
    const { runs } = writeResultsIndex([results], out);
    process.stdout.write(`index: ${out} (${runs} runs)\n`);
  } catch (err) {
    process.stderr.write(`campaign: could not update ${out}: ${err instanceof Error ? err.message : err}\n`);
  }
}
