/**
 * The report and the index in a real browser (headless Chromium): they open without console errors or
 * any network request, show their key sections, and recorded data with HTML and script in it shows as
 * text and runs nothing. The docker-tagged test does the same for the report of a real run and keeps a
 * screenshot (path printed).
 */
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runOnDocker } from "../harness/cli/run-on-docker.ts";
import { writeReport } from "../report/report-page.ts";
import { writeResultsIndex } from "../report/results-index.ts";
import { chromiumAvailable, launchChromium, openFile, type OpenedPage } from "../report/testing/chromium.ts";
import { writeSyntheticRun } from "../report/testing/synthetic.ts";

const tmp = () => mkdtempSync(join(tmpdir(), "zk-chaos-browser-test-"));
// CI installs Chromium (.ci/run) and must run these; elsewhere they are skipped when it is missing.
const skip = !chromiumAvailable() && !process.env.CI;

function expectQuiet(p: OpenedPage): void {
  expect(p.errors).toEqual([]);
  expect(p.requests).toEqual([]);
  expect(p.dialogs).toEqual([]);
}

async function keySections(p: OpenedPage): Promise<Record<string, number>> {
  return p.page.evaluate(`(() => {
    const n = (sel) => document.querySelectorAll(sel).length;
    return {
      verdict: n("#verdict h1"),
      checkers: n("section.checker"),
      timeline: n("#timeline svg.timeline rect"),
      latency: n("#latency svg path.dots"),
      quantiles: n("#latency svg path.line"),
      throughput: n("#throughput svg path.line"),
      files: n("#files a[href='history.jsonl'], #files a[href='harness.log'], #files a[href='resource.jsonl'], #files a[href^='nodes/zk']"),
    };
  })()`);
}

describe.skipIf(skip)("report in Chromium", () => {
  it("recorded HTML and script show as text and run nothing, in the report and in the index", async () => {
    const payload = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"><b onclick="x()">bold</b>`;
    const root = tmp();
    const dir = join(root, "lock-naive", "20250101T010000Z");
    writeSyntheticRun(dir, {
      ops: 300,
      payload,
      extraCheckers: { [`mine${payload}`]: { valid: false, message: payload, rows: [{ value: payload }] } },
    });
    writeReport(dir);
    writeResultsIndex([root], join(root, "index.html"));
    const browser = await launchChromium();
    try {
      for (const [file, scripts] of [
        [join(dir, "report.html"), 0],
        [join(root, "index.html"), 1],
      ] as const) {
        const p = await openFile(browser, file);
        expectQuiet(p);
        const state = (await p.page.evaluate(`({
          pwned: window.__pwned,
          scripts: document.scripts.length,
          imgs: document.images.length,
          bolds: [...document.querySelectorAll("b")].filter((b) => b.textContent === "bold").length,
          handlers: [...document.querySelectorAll("*")].filter((e) => [...e.attributes].some((a) => a.name.startsWith("on"))).length,
          text: document.body.innerText,
        })`)) as {
          pwned: unknown;
          scripts: number;
          imgs: number;
          bolds: number;
          handlers: number;
          text: string;
        };
        expect(state).toMatchObject({ pwned: undefined, scripts, imgs: 0, bolds: 0, handlers: 0 });
        expect(state.text).toContain("<script>window.__pwned=1</script>");
      }
    } finally {
      await browser.close();
    }
  }, 60_000);

  it("the index sorts by a clicked column", async () => {
    const root = tmp();
    for (const [day, seed] of [
      [1, 7],
      [2, 3],
      [3, 5],
    ] as const)
      writeSyntheticRun(join(root, "lock-naive", `2025010${day}T010000Z`), {
        ops: 50,
        seed,
        startedAt: `2025-01-0${day}T01:00:00.000Z`,
      });
    writeResultsIndex([root], join(root, "index.html"));
    const browser = await launchChromium();
    try {
      const p = await openFile(browser, join(root, "index.html"));
      expectQuiet(p);
      const seeds = () =>
        p.page.$$eval("#runs tbody tr", (rows) => rows.map((r) => r.children[4]!.textContent));
      expect(await seeds()).toEqual(["5", "3", "7"]);
      await p.page.click("#runs th:nth-child(5)");
      expect(await seeds()).toEqual(["3", "5", "7"]);
      await p.page.click("#runs th:nth-child(5)");
      expect(await seeds()).toEqual(["7", "5", "3"]);
      await p.page.fill("#filter", "zzz");
      expect(await p.page.$$eval("#runs tbody tr:not([hidden])", (r) => r.length)).toBe(0);
    } finally {
      await browser.close();
    }
  }, 60_000);
});

describe.skipIf(skip)("the report of a real run in Chromium", { tags: ["docker"] }, () => {
  it("opens quietly with every key section, and leaves a screenshot", async () => {
    const results = tmp();
    const out = await runOnDocker({
      workload: "lock",
      variant: "naive",
      nodes: 3,
      clients: 2,
      rate: 20,
      timeLimit: 6,
      nemesis: ["client-pause"],
      nemesisInterval: 2,
      seed: 5,
      results,
    });
    expect(readdirSync(results)).toContain("index.html");
    const browser = await launchChromium();
    try {
      const p = await openFile(browser, join(out.dir, "report.html"));
      expectQuiet(p);
      const s = await keySections(p);
      expect(s.verdict).toBe(1);
      expect(s.checkers).toBeGreaterThanOrEqual(3); // lock-safety, lost-updates, stats
      expect(s.timeline).toBeGreaterThan(0);
      expect(s.latency).toBeGreaterThan(0);
      expect(s.quantiles).toBe(4);
      expect(s.throughput).toBe(3);
      expect(s.files).toBeGreaterThanOrEqual(6);
      const shot = join(out.dir, "report.png");
      await p.page.screenshot({ path: shot, fullPage: true });
      console.log(
        `report screenshot: ${shot} (verdict ${String(out.results.valid)}, ${p.renderMs.toFixed(0)} ms)`,
      );
      const index = await openFile(browser, join(results, "index.html"));
      expectQuiet(index);
    } finally {
      await browser.close();
    }
  }, 240_000);
});
