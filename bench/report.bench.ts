/**
 * Report size and speed for long runs: a synthetic lock run of N client operations (default 100k, with
 * partitions, client pauses and a lock-safety violation) → report.html; its size, the time to write it,
 * and the time headless Chromium takes to load and paint it (median of a few loads). Targets: ≤ 5 MB and
 * ≤ 3 s to render at 100k ops. Prints one line per size and a JSON line last:
 * {"bench":"report","runs":[{ops, bytes, generateMs, renderMs, historyBytes}]}.
 * Usage: npm run bench:report [-- --ops 10000,100000 --loads 3]
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { writeReport } from "../report/report-page.ts";
import { chromiumAvailable, CHROMIUM, launchChromium, openFile } from "../report/testing/chromium.ts";
import { writeSyntheticRun } from "../report/testing/synthetic.ts";
import { median } from "./stats.ts";

const { values } = parseArgs({
  options: {
    ops: { type: "string", default: "10000,100000" },
    loads: { type: "string", default: "3" },
  },
});
const sizes = values.ops!.split(",").map(Number);
const loads = Number(values.loads);

const browser = chromiumAvailable() ? await launchChromium() : null;
if (!browser) process.stderr.write(`no Chromium at ${CHROMIUM}: render times skipped\n`);
const runs: Record<string, number | null>[] = [];
try {
  for (const ops of sizes) {
    const dir = mkdtempSync(join(tmpdir(), "zk-chaos-report-bench-"));
    // about 330 ops/s over 5 clients, as a 5-minute nightly run at full speed
    writeSyntheticRun(dir, { ops, seconds: Math.max(10, ops / 330) });
    const t0 = performance.now();
    writeReport(dir);
    const generateMs = performance.now() - t0;
    const file = join(dir, "report.html");
    const bytes = statSync(file).size;
    let renderMs: number | null = null;
    if (browser) {
      const times: number[] = [];
      for (let i = 0; i < loads; i++) {
        const p = await openFile(browser, file);
        if (p.errors.length || p.requests.length)
          throw new Error(`report not quiet: ${[...p.errors, ...p.requests].join("; ")}`);
        times.push(p.renderMs);
        await p.page.close();
      }
      renderMs = median(times);
    }
    const row = {
      ops,
      bytes,
      generateMs: Math.round(generateMs),
      renderMs: renderMs === null ? null : Math.round(renderMs),
      historyBytes: statSync(join(dir, "history.jsonl")).size,
    };
    runs.push(row);
    process.stdout.write(
      `${ops} ops: report ${(bytes / 1024).toFixed(0)} KiB (history ${(row.historyBytes / 1048576).toFixed(1)} MiB), ` +
        `generated in ${row.generateMs} ms, rendered in ${row.renderMs ?? "—"} ms\n`,
    );
    rmSync(dir, { recursive: true, force: true });
  }
} finally {
  await browser?.close();
}
process.stdout.write(`${JSON.stringify({ bench: "report", runs })}\n`);
