/**
 * A 100k-op history within bounds: writes a linearizable CAS-register history (5 processes, 1% info) as
 * history.jsonl, then checks it in fresh processes — as `zk-chaos check` does, under the default heap and
 * under a small one (--max-old-space-size=256) — and prints one JSON line each: parse and check time,
 * verdict, peak RSS and heap. Run: npm run bench:large-history [-- --ops 100000 --processes 5]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { getHeapStatistics } from "node:v8";
import { checkHistory } from "../checkers/check-history.ts";
import { parseHistory } from "../checkers/formats/index.ts";
import { writeJsonl } from "../checkers/formats/jsonl.ts";
import { randomRegisterHistory } from "../checkers/testing/random-register.ts";

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : dflt;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
};

/** Child: check one file as `zk-chaos check` does and report time and memory. */
async function child(file: string): Promise<void> {
  const t0 = performance.now();
  const parsed = parseHistory(readFileSync(file, "utf8"), file);
  const t1 = performance.now();
  const res = await checkHistory(parsed.history, {
    format: parsed.format,
    clock: parsed.clock,
    workload: "register",
    timeoutMs: 300_000,
  });
  const t2 = performance.now();
  const lin = res.checkers.linearizable as { valid: unknown; reason?: string; stats?: unknown } | undefined;
  process.stdout.write(
    JSON.stringify({
      events: parsed.history.length,
      parse_ms: Math.round(t1 - t0),
      check_ms: Math.round(t2 - t1),
      valid: res.valid,
      reason: lin?.reason,
      search: lin?.stats,
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      heap_used_mb: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
      heap_limit_mb: Math.round(getHeapStatistics().heap_size_limit / 2 ** 20),
    }) + "\n",
  );
}

async function main(): Promise<void> {
  if (process.argv[2] === "--child") return child(process.argv[3]!);
  const ops = arg("ops", 100_000);
  const processes = arg("processes", 5);
  const t0 = performance.now();
  const history = randomRegisterHistory({ ops, processes, infoRate: 0.01, seed: 42 });
  const file = join(mkdtempSync(join(tmpdir(), "zk-chaos-large-")), "history.jsonl");
  writeFileSync(file, writeJsonl(history));
  const bytes = readFileSync(file).length;
  console.log(
    JSON.stringify({
      bench: "large-history",
      ops,
      processes,
      events: history.length,
      file_mb: +(bytes / 2 ** 20).toFixed(1),
      generate_ms: Math.round(performance.now() - t0),
    }),
  );
  const self = fileURLToPath(import.meta.url);
  for (const heap of [undefined, 256]) {
    const execArgv = ["--import", "tsx", ...(heap ? [`--max-old-space-size=${heap}`] : [])];
    const t = performance.now();
    const r = spawnSync(process.execPath, [...execArgv, self, "--child", file], {
      cwd: join(dirname(self), ".."),
      encoding: "utf8",
      timeout: 600_000,
    });
    const line = r.stdout.trim().split("\n").pop() ?? "";
    let data: Record<string, unknown> = {};
    try {
      data = JSON.parse(line) as Record<string, unknown>;
    } catch {
      data = { error: (r.stderr || `exit ${String(r.status)}`).trim().split("\n")[0] };
    }
    console.log(
      JSON.stringify({
        bench: "large-history",
        heap: heap ? `${heap} MB` : "default",
        wall_ms: Math.round(performance.now() - t),
        ...data,
      }),
    );
  }
}

await main();
