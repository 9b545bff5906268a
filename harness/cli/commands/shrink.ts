/**
 * `zk-chaos shrink RUN_DIR`: the smallest fault schedule that still reproduces an invalid run. Prints each
 * candidate as it is judged, then the smallest spec, how often it reproduced, and the repro command of a
 * run folder of it; writes shrink.json beside that folder's files.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { removeLabelled } from "../../../docker/cleanup.ts";
import { BadInputError, EXIT } from "../../../kernel/errors.ts";
import { progress } from "../../../kernel/progress.ts";
import { reproCommandLine, runCommandLine } from "../../runner/command-line.ts";
import type { TestSpec } from "../../runner/test-spec.ts";
import { shrink, type ShrinkResult, type ShrinkStep } from "../../shrink/shrink.ts";
import { guardRun } from "../run-guard.ts";
import { runOnDocker } from "../run-on-docker.ts";
import { storedRun } from "./run.ts";

export interface ShrinkCliOptions {
  tries?: number;
  confirm?: number;
  results?: string;
}

export async function shrinkCommand(dir: string, o: ShrinkCliOptions): Promise<number> {
  const { spec, was, rerun } = storedRun(dir, o.results);
  if (was !== "invalid")
    throw new BadInputError(
      `${dir}: only an invalid run can be shrunk (its verdict is ${was ?? "missing: it was never checked"})`,
    );
  await removeLabelled({ orphansOnly: true }).catch(() => undefined);
  const abort = new AbortController();
  const guard = guardRun(abort);
  const p = progress("shrink");
  const tries = o.tries ?? 2;
  const confirm = o.confirm ?? 3;
  process.stdout.write(
    `shrinking ${dir}: ${spec.workload} --variant ${spec.variant} --nemesis ${spec.nemesis.join(",")} ` +
      `--seed ${spec.seed} (each candidate up to ${tries} tries, the smallest confirmed ${confirm} times)\n`,
  );
  let result: ShrinkResult;
  try {
    result = await shrink({
      spec: rerun as TestSpec,
      target: "invalid",
      tries,
      confirm,
      signal: abort.signal,
      run: (raw, opts) =>
        runOnDocker(raw, {
          ...opts,
          onProgress: (s) => p.update(s.phase, `${s.opsDone} ops, ${s.secondsLeft}s left`),
        }),
      onTry: (what) => p.update("shrink", what),
      onStep: (step) => process.stdout.write(`${stepLine(step)}\n`),
    });
  } finally {
    guard.dispose();
    p.done("shrink: done");
  }
  const reproduced = result.confirm.verdicts.filter((v) => v === "invalid").length;
  const smallest = { ...rerun, ...result.smallest };
  process.stdout.write(
    `smallest: ${describe(result)}\n` +
      `reproduced ${reproduced}/${result.confirm.verdicts.length} times on confirmation` +
      ` (${result.steps.length} candidates tried)\n` +
      `run:    ${runCommandLine({ ...smallest, results: undefined })}\n` +
      (result.reproDir
        ? `repro:  ${reproCommandLine(result.reproDir)}\n`
        : "no run of the smallest spec reproduced\n"),
  );
  if (result.reproDir)
    writeFileSync(
      join(result.reproDir, "shrink.json"),
      `${JSON.stringify({ shrunkFrom: dir, ...result }, null, 2)}\n`,
    );
  guard.throwIfFatal();
  return abort.signal.aborted ? EXIT.unknown : reproduced > 0 ? EXIT.invalid : EXIT.unknown;
}

function stepLine(s: ShrinkStep): string {
  const got = s.verdicts.join(",");
  return `  ${s.dimension}: ${s.change} → ${s.reproduced ? "reproduced" : "not reproduced"} (${got})${s.reproduced ? ", kept" : ""}`;
}

function describe(r: ShrinkResult): string {
  const s = r.smallest;
  return [
    `--nemesis ${s.nemesis.join(",")}`,
    ...(s.faults !== undefined ? [`--faults ${s.faults}`] : []),
    `--time-limit ${s.timeLimit}`,
    `--clients ${s.clients}`,
    `--nemesis-interval ${s.nemesisInterval}`,
  ].join(" ");
}
