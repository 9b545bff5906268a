/**
 * Time to the first violation of stored runs (checkers/first-violation.ts), for the acceptance tables:
 * seconds from the first client op. Runs recorded since it exists carry it in results.json too.
 * Usage: npx tsx bench/first-violation.ts RUN_DIR…   (one JSON line per run)
 */
import { firstViolationSeconds, firstViolationTime } from "../checkers/first-violation.ts";
import { isClientOp } from "../kernel/op.ts";
import { readRunFiles } from "../report/run-files.ts";

type Json = Record<string, unknown>;

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const dir of process.argv.slice(2)) {
    const run = readRunFiles(dir);
    if (!run.results) {
      console.log(JSON.stringify({ dir, valid: "unchecked", notes: run.notes }));
      continue;
    }
    const start = run.history.find(isClientOp)?.time ?? 0;
    const t = firstViolationTime(run.results.checkers as Record<string, Json>, run.history, run.resource);
    console.log(
      JSON.stringify({
        dir,
        valid: run.results.valid,
        firstViolationS: firstViolationSeconds(t, start),
      }),
    );
  }
}
