import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { logger, logToFile } from "../../kernel/log.ts";
import type { RunOutcome } from "../runner/run.ts";
import type { TestSpec } from "../runner/test-spec.ts";
import { capParallel, findRunDir, runCampaign, type CampaignEvent, type RunTestFn } from "./campaign.ts";
import { expandMatrix } from "./matrix.ts";
import { summaryTable } from "./summary.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const GiB = 1024 ** 3;

/** A fake runner: verdict by variant (naive → invalid, aware → throws, else valid), one log line per run. */
function fakeRunner(root: string, gauge: { now: number; max: number }): RunTestFn {
  const log = logger("fake"); // module-level style: created before any run
  return async (raw) => {
    const spec = raw as Partial<TestSpec> & { workload: string; variant: string; seed: number };
    gauge.max = Math.max(gauge.max, ++gauge.now);
    const dir = join(root, `${spec.workload}-${spec.variant}-${spec.seed}-${String(spec.nemesis)}`);
    mkdirSync(dir, { recursive: true });
    try {
      logToFile(join(dir, "harness.log"));
      log.info({ run: dir }, "start");
      await sleep(20);
      log.info({ run: dir }, "end");
      if (spec.variant === "aware") {
        writeFileSync(join(dir, "test.json"), JSON.stringify(spec));
        throw new Error("ensemble start failed");
      }
      const valid = spec.variant !== "naive";
      return {
        spec: spec as TestSpec,
        dir,
        throughput: 1,
        results: {
          valid,
          checkers: { "lock-safety": { valid, overlapCount: valid ? 0 : 3 } },
          stats: { ops: 10 },
          ...(valid ? {} : { firstViolationS: spec.seed === 7 ? 4 : 9 }),
        },
      } as RunOutcome;
    } finally {
      gauge.now--;
    }
  };
}

describe("runCampaign", () => {
  it("runs K at a time, records every verdict in matrix order, and goes on after a harness error", async () => {
    const root = mkdtempSync(join(tmpdir(), "zk-chaos-campaign-unit-"));
    const runs = expandMatrix({
      workloads: "lock",
      variants: "naive,aware,fenced",
      nemeses: "partition,kill",
      seeds: 2,
      firstSeed: 7,
    });
    const gauge = { now: 0, max: 0 };
    const events: CampaignEvent[] = [];
    const records = await runCampaign({
      runs,
      base: { timeLimit: 5, results: root },
      parallel: 3,
      runTest: fakeRunner(root, gauge),
      onEvent: (e) => events.push(e),
    });
    expect(gauge.max).toBe(3);
    expect(records.map((r) => r.run.index)).toEqual(runs.map((r) => r.index));
    expect(records.map((r) => r.verdict)).toEqual([
      ...Array(4).fill("invalid"),
      ...Array(4).fill("crashed"),
      ...Array(4).fill("valid"),
    ]);
    const crashed = records[4]!;
    expect(crashed.error).toBe("ensemble start failed");
    expect(records[0]!.spec).toMatchObject({ timeLimit: 5, workload: "lock", variant: "naive", seed: 7 });
    expect(events.filter((e) => e.type === "start")).toHaveLength(12);
    expect(events.filter((e) => e.type === "done")).toHaveLength(12);
    // Each run's harness.log holds its own lines only, though the runs overlapped.
    for (const r of records) {
      const dir = r.dir ?? join(root, `lock-${r.run.variant}-${r.run.seed}-${r.run.nemesis.join(",")}`);
      const lines = readFileSync(join(dir, "harness.log"), "utf8").trim().split("\n");
      expect(lines.map((l) => (JSON.parse(l) as { run: string }).run)).toEqual([dir, dir]);
    }
    const table = summaryTable(records, root);
    expect(table).toMatch(/^#\s+run\s+nemesis\s+zk\s+seed\s+verdict/);
    expect(table).toContain("INVALID");
    expect(table).toContain("ensemble start failed");
    expect(records.filter((r) => r.verdict === "invalid").map((r) => r.firstViolationS)).toEqual([
      4, 9, 4, 9,
    ]);
    expect(table).toMatch(/INVALID\s+4\.0s/);
    expect(table.trim().split("\n").at(-1)).toBe(
      "12 runs: 4 valid, 4 invalid, 4 crashed (first violation: median 6.5s)",
    );
  });

  it("an abort stops the runs under way and skips the rest", async () => {
    const root = mkdtempSync(join(tmpdir(), "zk-chaos-campaign-unit-"));
    const abort = new AbortController();
    const runs = expandMatrix({ workloads: "lock", variants: "fenced", seeds: 5, firstSeed: 1 });
    const records = await runCampaign({
      runs,
      base: { results: root },
      parallel: 1,
      runTest: fakeRunner(root, { now: 0, max: 0 }),
      signal: abort.signal,
      onEvent: (e) => e.type === "done" && e.record.run.index === 2 && abort.abort(),
    });
    expect(records.map((r) => r.verdict)).toEqual(["valid", "valid", "skipped", "skipped", "skipped"]);
  });
});

describe("findRunDir", () => {
  it("finds the folder whose test.json names the run", () => {
    const root = mkdtempSync(join(tmpdir(), "zk-chaos-campaign-unit-"));
    const run = {
      index: 1,
      workload: "lock",
      variant: "naive",
      nemesis: ["kill"],
      zkVersion: "3.8" as const,
      seed: 9,
    };
    for (const [stamp, seed] of [
      ["20260101T000000Z", 8],
      ["20260101T000001Z", 9],
    ] as const) {
      mkdirSync(join(root, "lock-naive", stamp), { recursive: true });
      writeFileSync(
        join(root, "lock-naive", stamp, "test.json"),
        JSON.stringify({ seed, nemesis: ["kill"] }),
      );
    }
    expect(findRunDir(root, run, Date.now() - 1000)).toBe(join(root, "lock-naive", "20260101T000001Z"));
    expect(findRunDir(root, { ...run, seed: 10 }, 0)).toBeUndefined();
    expect(findRunDir(join(root, "nope"), run, 0)).toBeUndefined();
  });
});

describe("capParallel", () => {
  it("keeps K when K ensembles fit in free memory", () => {
    expect(capParallel(2, 3, 20 * GiB)).toEqual({ parallel: 2 });
  });
  it("caps K to what fits, with a line saying why", () => {
    const c = capParallel(8, 3, 2.5 * GiB);
    expect(c.parallel).toBe(2);
    expect(c.note).toBe("--parallel 8 capped to 2: 2.5 GiB free, about 1.0 GiB per 3-node ensemble");
    expect(capParallel(4, 5, 4 * GiB).parallel).toBe(2);
  });
  it("runs one at a time when not even one ensemble fits", () => {
    const c = capParallel(1, 3, 0.5 * GiB);
    expect(c.parallel).toBe(1);
    expect(c.note).toMatch(/only 0\.5 GiB free/);
  });
});
