import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative } from "node:path";
import { removeLabelled } from "../../../docker/cleanup.ts";
import { writeJUnit } from "../../campaign/junit.ts";
import type { RunRecord } from "../../campaign/record.ts";
import { verdictOf } from "../../campaign/verdict.ts";
import { cutLine } from "../../../checkers/history-completeness.ts";
import { BadInputError, EXIT } from "../../../kernel/errors.ts";
import { progress } from "../../../kernel/progress.ts";
import { DEFAULT_ZK_VERSION, isZkVersion } from "../../../kernel/zk-version.ts";
import { reproCommandLine, runCommandLine } from "../../runner/command-line.ts";
import { findingLines } from "../../../report/report-page.ts";
import { readRunFiles } from "../../../report/run-files.ts";
import type { RunOutcome } from "../../runner/run.ts";
import { runOnDocker } from "../run-on-docker.ts";
import { guardRun } from "../run-guard.ts";
import type { TestSpec } from "../../runner/test-spec.ts";

export type RunCliOptions = Partial<Record<keyof TestSpec, unknown>> & { junit?: unknown };

/** `zk-chaos run`: one test; prints the verdict, the report path and the repro command. */
export async function runCommand(opts: RunCliOptions): Promise<number> {
  if (typeof opts.junit === "string") checkJUnitTarget(opts.junit); // before the run, not after it
  // Leftovers of harnesses that died (SIGKILL) go first; live runs are left alone.
  await removeLabelled({ orphansOnly: true }).catch(() => undefined);
  const abort = new AbortController();
  // Signals and uncaught errors abort the run: heal, tear down, keep what was recorded (run-guard.ts).
  const guard = guardRun(abort);
  const p = progress("run");
  const { junit, ...spec } = opts;
  const started = Date.now();
  let outcome: RunOutcome;
  try {
    outcome = await runOnDocker(spec, {
      signal: abort.signal,
      onProgress: (s) =>
        p.update(
          s.phase,
          `${s.opsDone} ops, faults: ${s.faultsActive.join(",") || "none"}, ${s.secondsLeft}s left`,
        ),
    });
  } catch (err) {
    // A harness error is a testcase too (an error in CI's view); bad options are not.
    if (typeof junit === "string" && !(err instanceof BadInputError))
      writeRunJUnit(
        junit,
        spec,
        started,
        guard.settle({ verdict: "crashed", error: String((err as Error)?.message ?? err) }),
      );
    throw err;
  } finally {
    guard.dispose();
  }
  if (typeof junit === "string") {
    const { results, dir } = outcome;
    // A run an uncaught error aborted is crashed, though what it recorded was checked (settle).
    writeRunJUnit(
      junit,
      { ...spec, ...outcome.spec },
      started,
      guard.settle({
        verdict: verdictOf(results.valid),
        dir,
        checkers: results.checkers,
        stats: results.stats,
        ...(typeof results.firstViolationS === "number" ? { firstViolationS: results.firstViolationS } : {}),
      }),
    );
  }
  const code = printOutcome(outcome, p);
  guard.throwIfFatal(); // an uncaught error aborted the run: exit 255 (its line is already out)
  return code;
}

/** The JUnit file must be a file we can write: its folder is made if missing. */
function checkJUnitTarget(file: string): void {
  if (file === "" || file.includes("\0")) throw new BadInputError("--junit needs a file name");
  if (existsSync(file) && statSync(file).isDirectory())
    throw new BadInputError(
      `--junit ${file} is a folder; give a file name (e.g. ${join(file, "junit.xml")})`,
    );
  try {
    mkdirSync(dirname(file), { recursive: true });
  } catch (err) {
    throw new BadInputError(
      `--junit ${file}: cannot make its folder (${(err as NodeJS.ErrnoException).code})`,
    );
  }
}

/** test.json of a run folder, checked as far as repro reads it (validateSpec checks the rest). */
export function readStoredSpec(dir: string): TestSpec & { images?: unknown; startedAt?: unknown } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(dir, "test.json"), "utf8"));
  } catch {
    throw new BadInputError(`${dir} is not a run folder (no readable test.json)`);
  }
  const bad = (why: string) => new BadInputError(`${join(dir, "test.json")} is not a test spec: ${why}`);
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw bad("not a JSON object");
  const s = raw as Record<string, unknown>;
  if (typeof s.workload !== "string") throw bad("workload is not a name");
  if (s.variant !== undefined && typeof s.variant !== "string") throw bad("variant is not a name");
  if (!Array.isArray(s.nemesis) || !s.nemesis.every((n) => typeof n === "string"))
    throw bad("nemesis is not a list of names");
  if (typeof s.seed !== "number") throw bad("seed is not a number");
  return s as unknown as TestSpec & { images?: unknown; startedAt?: unknown };
}

/** `--junit FILE`: this run as the one testcase of a JUnit document. */
function writeRunJUnit(
  file: string,
  spec: Partial<Record<keyof TestSpec, unknown>>,
  started: number,
  result: Pick<RunRecord, "verdict"> &
    Partial<Pick<RunRecord, "dir" | "checkers" | "stats" | "error" | "firstViolationS">>,
): void {
  const nemesis = spec.nemesis;
  const run = {
    index: 1,
    workload: String(spec.workload ?? "lock"),
    variant: String(spec.variant ?? "default"),
    nemesis: Array.isArray(nemesis) ? nemesis.map(String) : String(nemesis ?? "default").split(","),
    zkVersion: isZkVersion(spec.zkVersion) ? spec.zkVersion : DEFAULT_ZK_VERSION,
    seed: typeof spec.seed === "number" ? spec.seed : -1,
  };
  writeJUnit(file, [
    { run, spec: spec as Partial<TestSpec>, seconds: (Date.now() - started) / 1000, ...result },
  ]);
  process.stderr.write(`junit: ${file}\n`);
}

function printOutcome(outcome: RunOutcome, p: ReturnType<typeof progress>): number {
  const { results, spec, dir } = outcome;
  const verdict = results.valid === true ? "valid" : results.valid === false ? "INVALID" : "unknown";
  const bad = Object.entries(results.checkers)
    .filter(([, r]) => r.valid !== true)
    .map(([name, r]) => `${name}=${String(r.valid)}`);
  p.done("done");
  const rel = relative(process.cwd(), dir) || dir;
  const cut = cutLine(results.checkers);
  process.stdout.write(
    `${verdict}: ${spec.workload} --variant ${spec.variant} --nemesis ${spec.nemesis.join(",")} --seed ${spec.seed}` +
      `${bad.length ? ` (${bad.join(", ")})` : ""} · ${results.stats.ops} ops, ${results.stats.throughput} ops/s\n` +
      (cut ? `${cut}\n` : "") +
      (results.valid === false ? evidenceLines(outcome) : "") +
      `report: ${join(rel, "report.html")}\nrepro:  ${reproCommandLine(dir)}\n`,
  );
  return results.valid === true ? EXIT.valid : results.valid === false ? EXIT.invalid : EXIT.unknown;
}

/** An invalid run's evidence as the report's banner says it, when it first went wrong, and the fix to try. */
function evidenceLines({ results, dir, spec, fixedVariant }: RunOutcome): string {
  const lines: string[] = [];
  const first = (results as { firstViolationS?: number }).firstViolationS;
  if (first !== undefined) lines.push(`first violation ${first} s after the first client op`);
  try {
    lines.push(...findingLines(readRunFiles(dir)).map((l) => `  ${l}`));
  } catch {
    // the report says it; the verdict line above stands
  }
  if (fixedVariant)
    lines.push(
      `the fix, under the same faults: ${runCommandLine({ ...spec, variant: fixedVariant, results: undefined })}`,
    );
  return lines.map((l) => `${l}\n`).join("");
}

/** `zk-chaos repro RUN_DIR`: rerun with the same spec and seed; says whether the verdict reproduced. */
export async function reproCommand(
  dir: string,
  overrides: { results?: string; junit?: string },
): Promise<number> {
  if (overrides.junit !== undefined) checkJUnitTarget(overrides.junit);
  const { spec, was, rerun } = storedRun(dir, overrides.results);
  process.stdout.write(
    `repro of ${dir}: ${spec.workload} --variant ${spec.variant} --nemesis ${spec.nemesis.join(",")} ` +
      `--seed ${spec.seed} (was ${was ?? "not checked"})\n`,
  );
  const code = await runCommand({
    ...rerun,
    ...(overrides.junit !== undefined ? { junit: overrides.junit } : {}),
  });
  const now = code === EXIT.valid ? "valid" : code === EXIT.invalid ? "invalid" : "unknown";
  process.stdout.write(
    was === null
      ? `reproduced: unknown (the original run has no verdict; now ${now})\n`
      : `reproduced: ${was === now ? "yes" : "no"} (was ${was}, now ${now})\n`,
  );
  return code;
}

/**
 * A stored run to run again: its spec, its verdict (null: never checked), and the spec to rerun with. The
 * images are chosen afresh (a laptop may have other ones than the CI machine); a results folder of another
 * machine (an absolute path that is not here) becomes ./results.
 */
export function storedRun(
  dir: string,
  resultsOverride?: string,
): { spec: ReturnType<typeof readStoredSpec>; was: string | null; rerun: Partial<TestSpec> } {
  const spec = readStoredSpec(dir);
  let before: { valid?: unknown } = {};
  try {
    before = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as typeof before;
  } catch {
    // the original run died before checking; rerun all the same
  }
  const was = "valid" in before ? verdictName(before.valid) : null;
  const { images: _images, startedAt: _startedAt, ...rest } = spec;
  const results =
    resultsOverride ??
    (typeof rest.results === "string" && (!isAbsolute(rest.results) || existsSync(rest.results))
      ? rest.results
      : "results");
  return { spec, was, rerun: { ...rest, results } };
}

const verdictName = (v: unknown): string => (v === true ? "valid" : v === false ? "invalid" : "unknown");
