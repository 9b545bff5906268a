import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const CLI = join(dirname(fileURLToPath(import.meta.url)), "../../bin/zk-chaos.js");

/** A run folder as a campaign leaves it (no containers needed to index one). */
function fakeRun(root: string, name: string, seed: number, valid: boolean): void {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const [workload, variant] = name.split("/")[0]!.split("-");
  const spec = { workload, variant, nemesis: ["partition"], seed, timeLimit: 5, nodes: 3, clients: 2 };
  writeFileSync(join(dir, "test.json"), JSON.stringify({ ...spec, startedAt: "2026-01-01T02:17:00.000Z" }));
  writeFileSync(
    join(dir, "results.json"),
    JSON.stringify({ valid, checkers: { "lock-safety": { valid } }, stats: { ops: 10 } }),
  );
  writeFileSync(join(dir, "report.html"), "<!doctype html><title>run</title>");
}

// As the nightly workflow's last job does: artifacts downloaded side by side, one index next to them.
it("zk-chaos index merges the results folders of two machines into one index", () => {
  const cwd = mkdtempSync(join(tmpdir(), "zk-chaos-index-merge-"));
  fakeRun(join(cwd, "nightly/results-lock-0"), "lock-fenced/20260101T021700Z", 5, true);
  fakeRun(join(cwd, "nightly/results-lock-1"), "lock-naive/20260101T021700Z", 5, false);
  fakeRun(join(cwd, "nightly/results-lock-1"), "lock-naive/20260101T021700Z-2", 6, true);
  const r = spawnSync(
    process.execPath,
    [CLI, "index", "nightly/results-lock-0", "nightly/results-lock-1", "--out", "nightly/index.html"],
    { cwd, encoding: "utf8" },
  );
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/^index: nightly\/index\.html \(3 runs\)$/m);
  const html = readFileSync(join(cwd, "nightly/index.html"), "utf8");
  for (const link of [
    "results-lock-0/lock-fenced/20260101T021700Z/report.html",
    "results-lock-1/lock-naive/20260101T021700Z/report.html",
    "results-lock-1/lock-naive/20260101T021700Z-2/report.html",
  ])
    expect(html).toContain(link);
  expect(html).toMatch(/invalid/);
});
