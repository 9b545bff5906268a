import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { removeLabelled } from "../../../docker/cleanup.ts";
import { BadInputError, EXIT } from "../../core/errors.ts";
import { progress } from "../../core/progress.ts";
import { runTest, type RunOutcome } from "../../runner/run.ts";
import type { TestSpec } from "../../runner/test-spec.ts";

export type RunCliOptions = Partial<Record<keyof TestSpec, unknown>> & { junit?: unknown };

/** `zk-chaos run`: one test; prints the verdict, the report path and the repro command. */
export async function runCommand(opts: RunCliOptions): Promise<number> {
  // Leftovers of harnesses that died (SIGKILL) go first; live runs are left alone.
  await removeLabelled({ orphansOnly: true }).catch(() => undefined);
  const abort = new AbortController();
  let interrupts = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write(
        `\n${sig}: healing, tearing down and checking what was recorded (again to force)\n`,
      );
      abort.abort();
    } else {
      process.stderr.write(`${sig} again: exiting now; 'zk-chaos clean' removes what is left\n`);
      process.exit(EXIT.harness);
    }
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const p = progress("run");
  let outcome: RunOutcome;
  try {
    const { junit: _junit, ...spec } = opts;
    outcome = await runTest(spec, {
      signal: abort.signal,
      onProgress: (s) =>
        p.update(
          s.phase,
          `${s.opsDone} ops, faults: ${s.faultsActive.join(",") || "none"}, ${s.secondsLeft}s left`,
        ),
    });
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  return printOutcome(outcome, p);
}

function printOutcome(outcome: RunOutcome, p: ReturnType<typeof progress>): number {
  const { results, spec, dir } = outcome;
  const verdict = results.valid === true ? "valid" : results.valid === false ? "INVALID" : "unknown";
  const bad = Object.entries(results.checkers)
    .filter(([, r]) => r.valid !== true)
    .map(([name, r]) => `${name}=${String(r.valid)}`);
  p.done("done");
  const rel = relative(process.cwd(), dir) || dir;
  process.stdout.write(
    `${verdict}: ${spec.workload} --variant ${spec.variant} --nemesis ${spec.nemesis.join(",")} --seed ${spec.seed}` +
      `${bad.length ? ` (${bad.join(", ")})` : ""} · ${results.stats.ops} ops, ${results.stats.throughput} ops/s\n` +
      `report: ${join(rel, "report.html")}\nrepro:  npx zk-chaos repro ${rel}\n`,
  );
  return results.valid === true ? EXIT.valid : results.valid === false ? EXIT.invalid : EXIT.unknown;
}

/** `zk-chaos repro RUN_DIR`: rerun with the same spec and seed; says whether the verdict reproduced. */
export async function reproCommand(dir: string, overrides: { results?: string }): Promise<number> {
  let spec: TestSpec & { images?: unknown; startedAt?: unknown };
  let before: { valid?: unknown } = {};
  try {
    spec = JSON.parse(readFileSync(join(dir, "test.json"), "utf8")) as typeof spec;
  } catch {
    throw new BadInputError(`${dir} is not a run folder (no readable test.json)`);
  }
  try {
    before = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as typeof before;
  } catch {
    // the original run died before checking; rerun all the same
  }
  const { images: _images, startedAt: _startedAt, ...rest } = spec;
  const code = await runCommand({ ...rest, ...(overrides.results ? { results: overrides.results } : {}) });
  const now = code === EXIT.valid ? true : code === EXIT.invalid ? false : "unknown";
  if ("valid" in before) {
    process.stdout.write(
      now === before.valid
        ? `reproduced: the verdict is ${String(now)} again\n`
        : `not reproduced: was ${String(before.valid)}, now ${String(now)}\n`,
    );
  }
  return code;
}
