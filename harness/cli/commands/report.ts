/**
 * `zk-chaos report RUN_DIR`: rebuild RUN_DIR/report.html from the stored files (not a run folder: exit 254).
 * The verdict is results.json's, as the run judged it. A run that did not finish checking (no usable
 * results.json: the harness was killed) is judged now, as `check` judges it — by its workload's own
 * checkers, a user's recipe's from the module test.json names — and the report says so; results.json is
 * left as the run left it. A recipe whose module cannot be loaded: the report without a verdict, one line,
 * exit 254.
 */
import { join, relative } from "node:path";
import { checkHistory } from "../../../checkers/check-history.ts";
import { writeReport } from "../../../report/report-page.ts";
import { readRunFiles, type RunFiles } from "../../../report/run-files.ts";
import { EXIT } from "../../../kernel/errors.ts";
import { reproLines } from "../../runner/command-line.ts";
import { DEFAULT_SPEC } from "../../runner/test-spec.ts";
import { runCheckers, runWorkloadOf, WorkloadModuleError } from "../run-checkers.ts";

export async function reportCommand(dir: string): Promise<number> {
  let files = readRunFiles(dir);
  let code: number = EXIT.valid;
  if (files.results === null && files.history.length > 0) {
    try {
      files = await judgedNow(files);
    } catch (err) {
      if (!(err instanceof WorkloadModuleError)) throw err;
      process.stderr.write(`zk-chaos: ${err.message}\n`);
      files = { ...files, notes: [...files.notes, err.message] };
      code = EXIT.badInput;
    }
  }
  writeReport(dir, files, reproLines(dir, files.test));
  process.stdout.write(`report: ${join(relative(process.cwd(), dir) || ".", "report.html")}\n`);
  return code;
}

/** `files` with the verdict of what the run recorded, judged now by the checkers its run would have used. */
async function judgedNow(files: RunFiles): Promise<RunFiles> {
  const w = runWorkloadOf(files.test);
  const checkers = w ? await runCheckers(w, files.resource, files.dir) : undefined;
  const limit =
    typeof files.test.checkTimeout === "number" ? files.test.checkTimeout : DEFAULT_SPEC.checkTimeout;
  const hasResource = files.present.has("resource.jsonl");
  const res = await checkHistory(files.history, {
    format: "jsonl",
    clock: "time",
    ...(w ? { workload: w.name } : {}),
    ...(hasResource ? { resource: files.resource } : {}),
    ...(checkers ? { checkers } : {}),
    ...(limit > 0 ? { timeoutMs: limit * 1000 } : {}),
  });
  const by = checkers ? `${w!.name}'s own checkers` : "model (checkers chosen from the ops)";
  return {
    ...files,
    results: { valid: res.valid, checkers: res.checkers, stats: { ...res.stats } },
    notes: [
      ...files.notes,
      `the verdict shown was judged now by ${by}, as zk-chaos check judges it; results.json is unchanged`,
    ],
  };
}
