import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunHealth } from "../kernel/run-health.ts";
import { writeReport } from "./report-page.ts";
import { readRunFiles } from "./run-files.ts";
import { busyReasons, healthLine, parseRunHealth } from "./run-health.ts";
import { writeSyntheticRun } from "./testing/synthetic.ts";

const calm: RunHealth = {
  seconds: 61.2,
  eventLoopDelayMs: { max: 12.4, p99: 3.1, mean: 0.6 },
  eventLoopUtilization: 0.08,
  load: { mean: 0.9, max: 1.4, samples: 62, cpus: 2 },
  harnessCpu: { userS: 4.1, systemS: 1.2, percent: 8.7 },
  pacer: { paced: 12000, behind: 0, worstLagMs: 7.5, thresholdMs: 50 },
};

const busy: RunHealth = {
  ...calm,
  eventLoopDelayMs: { max: 85, p99: 30, mean: 2 },
  load: { mean: 1.9, max: 3.4, samples: 62, cpus: 2 },
  pacer: { paced: 12000, behind: 3, worstLagMs: 420, thresholdMs: 50 },
};

describe("busyReasons", () => {
  it("says nothing of a calm run", () => {
    expect(busyReasons(calm)).toEqual([]);
  });

  it("names a load above the CPU count and a pacer far behind", () => {
    expect(busyReasons(busy)).toEqual([
      "the host's load reached 3.4 on 2 CPUs",
      "operations went out up to 420\u00a0ms after their slot",
    ]);
  });

  it("names a stalled or saturated event loop", () => {
    const h = { ...calm, eventLoopDelayMs: { max: 150, p99: 20, mean: 1 }, eventLoopUtilization: 0.95 };
    expect(busyReasons(h)).toEqual([
      "the harness's event loop stalled for up to 150\u00a0ms",
      "the harness's event loop was busy 95% of the time",
    ]);
  });
});

describe("healthLine", () => {
  it("gives the pacer, the event loop, the host load and the harness CPU in one line", () => {
    expect(healthLine(busy).replace(/\u00a0/g, " ")).toBe(
      "pacer behind 3 times of 12000 (over 50 ms; worst 420 ms) · event-loop delay max 85 ms (p99 30 ms) · " +
        "host load 1.9 avg / 3.4 max on 2 CPUs · harness CPU 9% of a core",
    );
  });

  it("says when the pacer kept time or paced nothing", () => {
    expect(healthLine(calm)).toMatch(/^pacer on time \(12000 paced, worst 7.5\u00a0ms\)/);
    expect(healthLine({ ...calm, pacer: { ...calm.pacer, paced: 0 } })).toMatch(
      /^pacer: no paced operations/,
    );
  });
});

describe("parseRunHealth", () => {
  it("reads what the runner writes", () => {
    expect(parseRunHealth(JSON.parse(JSON.stringify(busy)))).toEqual(busy);
  });

  it("is null for an absent or damaged field", () => {
    expect(parseRunHealth(undefined)).toBeNull();
    expect(parseRunHealth({ ...busy, load: { mean: 1 } })).toBeNull();
    expect(parseRunHealth({ ...busy, pacer: { ...busy.pacer, behind: "3" } })).toBeNull();
    expect(parseRunHealth([busy])).toBeNull();
  });
});

/** A small run folder whose results.json has `health` set to `health` (left out when undefined). */
function runWith(health: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "zk-chaos-health-test-"));
  writeSyntheticRun(dir, { ops: 200, clients: 2 });
  const file = join(dir, "results.json");
  const results = JSON.parse(readFileSync(file, "utf8"));
  writeFileSync(file, JSON.stringify(health === undefined ? results : { ...results, health }));
  return dir;
}

const page = (dir: string): string => {
  writeReport(dir);
  return readFileSync(join(dir, "report.html"), "utf8").replace(/[ \t\r\n]+/g, " ");
};

describe("the report's Run health block", () => {
  it("shows the figures under the verdict, without a warning for a calm run", () => {
    const html = page(runWith(calm));
    expect(html).toMatch(/<\/header>\s*<div id="health" class="health">/);
    expect(html).toContain("<b>Run health</b>");
    expect(html).toContain("host load 0.9 avg / 1.4 max on 2 CPUs");
    expect(html).not.toContain("The machine was busy");
  });

  it("warns in plain words when the machine looked overloaded", () => {
    const html = page(runWith(busy));
    expect(html).toContain('class="health busy"');
    expect(html).toContain("pacer behind 3 times of 12000");
    expect(html).toContain(
      "The machine was busy (the host&#39;s load reached 3.4 on 2 CPUs; operations went out up to 420\u00a0ms after their slot): timeouts may come from the harness host rather than the ensemble.",
    );
  });

  it("leaves it out for a results.json from before health, which still renders", () => {
    const dir = runWith(undefined);
    const html = page(dir);
    expect(html).toMatch(/<h1>INVALID<\/h1>/);
    expect(html).not.toContain('id="health"');
    expect(readRunFiles(dir).notes).toEqual([]);
  });

  it("notes a damaged health field and renders the rest", () => {
    const dir = runWith({ seconds: "a while" });
    expect(readRunFiles(dir).notes).toContain("results.json: health figures not readable");
    const html = page(dir);
    expect(html).not.toContain('id="health"');
    expect(html).toMatch(/<h1>INVALID<\/h1>/);
  });
});
