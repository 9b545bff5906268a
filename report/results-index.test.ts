import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scanRuns, writeResultsIndex } from "./results-index.ts";

const tmp = () => mkdtempSync(join(tmpdir(), "zk-chaos-index-test-"));

interface Fake {
  workload?: string;
  variant?: string;
  seed?: number;
  startedAt?: string;
  zkVersion?: string;
  /** results.json text; undefined: none (the run died). */
  results?: string;
  report?: boolean;
}

function fakeRun(root: string, stamp: string, f: Fake): string {
  const dir = join(root, `${f.workload ?? "lock"}-${f.variant ?? "naive"}`, stamp);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "test.json"),
    JSON.stringify({
      workload: f.workload ?? "lock",
      variant: f.variant ?? "naive",
      nemesis: ["partition"],
      seed: f.seed ?? 1,
      ...(f.startedAt ? { startedAt: f.startedAt } : {}),
      ...(f.zkVersion ? { zkVersion: f.zkVersion } : {}),
    }),
  );
  if (f.results !== undefined) writeFileSync(join(dir, "results.json"), f.results);
  if (f.report) writeFileSync(join(dir, "report.html"), "<!doctype html>");
  return dir;
}

const results = (valid: unknown, durationMs = 61_000) =>
  JSON.stringify({
    valid,
    checkers: { "lock-safety": { valid }, stats: { valid: true, durationMs } },
    stats: {},
  });

describe("the results index", () => {
  it("shows each run's ZooKeeper line (the reported version on hover) and compares each cell across lines", () => {
    const root = tmp();
    const withVersion = (valid: boolean, version: string) =>
      JSON.stringify({ ...(JSON.parse(results(valid)) as object), zookeeperVersion: version });
    fakeRun(root, "20250101T010000Z", {
      zkVersion: "3.4",
      seed: 1,
      results: withVersion(false, "3.4.13-6--1"),
    });
    fakeRun(root, "20250101T020000Z", { zkVersion: "3.9", seed: 1, results: withVersion(true, "3.9.3-1") });
    fakeRun(root, "20250101T030000Z", { variant: "fenced", zkVersion: "3.4", results: results(true) });
    fakeRun(root, "20250101T040000Z", { variant: "fenced", zkVersion: "3.9", results: results(true) });
    fakeRun(root, "20250101T050000Z", { variant: "fenced", results: results(true) }); // before lines existed
    const runs = scanRuns([root]);
    expect(runs.map((r) => [r.variant, r.zk, r.zookeeperVersion])).toContainEqual([
      "naive",
      "3.4",
      "3.4.13-6--1",
    ]);
    expect(runs.find((r) => r.zk === "")?.zookeeperVersion).toBeNull();
    writeResultsIndex([root], join(root, "index.html"));
    const page = readFileSync(join(root, "index.html"), "utf8");
    expect(page).toContain('<td title="3.4.13-6--1">3.4</td>');
    expect(page).toContain("By ZooKeeper version");
    expect(page).toContain("1 of 2 cells differ between ZooKeeper lines");
    const versions = page.slice(page.indexOf('id="versions"'));
    // the differing cell first, marked
    expect(versions.indexOf("lock-naive · partition")).toBeLessThan(
      versions.indexOf("lock-fenced · partition"),
    );
    expect(versions).toMatch(/<tr class="differs">\s*<td>≠<\/td>\s*<td>lock-naive · partition<\/td>/);
    // the trend keeps lines apart
    expect(page).toContain("lock-naive · partition · zk 3.4");
  });

  it("no comparison section when every run is of one line", () => {
    const root = tmp();
    fakeRun(root, "20250101T010000Z", { zkVersion: "3.8", results: results(true) });
    fakeRun(root, "20250101T020000Z", { results: results(false) });
    writeResultsIndex([root], join(root, "index.html"));
    expect(readFileSync(join(root, "index.html"), "utf8")).not.toContain("By ZooKeeper version");
  });

  it("lists every run of several roots newest first, with verdicts, durations and relative links", () => {
    const a = tmp();
    const b = tmp();
    fakeRun(a, "20250101T010000Z", { results: results(true), report: true, seed: 11 });
    fakeRun(a, "20250102T010000Z", { results: results(false), report: true, seed: 12 });
    fakeRun(b, "20250103T010000Z", { workload: "queue", variant: "protected", results: results("unknown") });
    fakeRun(b, "20250104T010000Z", { results: undefined, startedAt: "2025-01-04T01:00:00.500Z" });
    fakeRun(b, "20250105T010000Z", { results: "{ not json", seed: 15 });
    symlinkSync(join(a, "lock-naive", "20250102T010000Z"), join(a, "latest"));
    const out = join(a, "index.html");
    expect(writeResultsIndex([a, b], out)).toEqual({ runs: 5 });
    const page = readFileSync(out, "utf8");
    const runs = scanRuns([a, b]);
    expect(runs.map((r) => [r.seed, r.verdict])).toEqual([
      ["15", "incomplete"],
      ["1", "incomplete"],
      ["1", "unknown"],
      ["12", "invalid"],
      ["11", "valid"],
    ]);
    expect(runs[3]!.failing).toEqual(["lock-safety"]);
    expect(runs[4]!.durationS).toBe(61);
    expect(runs[1]!.startedAt).toBe("2025-01-04T01:00:00.500Z");
    expect(page).toContain('href="lock-naive/20250102T010000Z/report.html"');
    // no report.html yet: link the folder; other roots relative to the index's folder
    expect(page).toMatch(/href="\.\.\/zk-chaos-index-test-\w+\/queue-protected\/20250103T010000Z\/"/);
    expect(page).toContain(">INVALID</span>");
    expect(page).toContain("61.0 s");
    expect(page).toContain("5 runs: 1 valid, 1 invalid, 1 unknown, 2 incomplete");
  });

  it("draws a trend per configuration and per day", () => {
    const root = tmp();
    fakeRun(root, "20250101T010000Z", { results: results(true), report: true });
    fakeRun(root, "20250102T010000Z", { results: results(false), report: true });
    fakeRun(root, "20250102T020000Z", { results: results(true), report: true });
    writeResultsIndex([root], join(root, "index.html"));
    const page = readFileSync(join(root, "index.html"), "utf8").replace(/[ \t\r\n]+/g, " ");
    expect(page).toContain('aria-label="verdicts of lock-naive · partition"');
    expect(page).toContain('aria-label="verdicts per day"');
    expect(page).toContain("2025-01-02: 1 invalid");
  });

  it("escapes what runs recorded, and allows only its own script by hash", () => {
    const root = tmp();
    fakeRun(root, "20250101T010000Z", { workload: "<script>alert(1)</script>", results: results(true) });
    writeResultsIndex([root], join(root, "index.html"));
    const page = readFileSync(join(root, "index.html"), "utf8");
    expect(page).not.toContain("<script>alert(1)");
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    const scripts = [...page.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(1);
    const hash = createHash("sha256").update(scripts[0]!).digest("base64");
    expect(page).toContain(`script-src 'sha256-${hash}'`);
  });

  it("an empty or missing root gives an empty index", () => {
    const root = tmp();
    expect(writeResultsIndex([root, join(root, "missing")], join(root, "index.html"))).toEqual({ runs: 0 });
    expect(readFileSync(join(root, "index.html"), "utf8")).toContain("No runs yet.");
  });
});
