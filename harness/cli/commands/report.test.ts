import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { writeSyntheticRun } from "../../../report/testing/synthetic.ts";
import { writeLeaseLockRun } from "./testing/recipe-run.ts";

// `report`, `index` and `serve` through the real CLI: exit codes and one-line errors are the contract.
const CLI = join(dirname(fileURLToPath(import.meta.url)), "../../../bin/zk-chaos.js");
const tmp = () => mkdtempSync(join(tmpdir(), "zk-chaos-report-cli-"));
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 30_000 });

describe("zk-chaos report / index / serve", () => {
  it("report rebuilds report.html of a run folder", () => {
    const dir = join(tmp(), "run");
    writeSyntheticRun(dir, { ops: 100 });
    const r = cli("report", dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/report: .*report\.html/);
    expect(readFileSync(join(dir, "report.html"), "utf8")).toContain("<h1>INVALID</h1>");
  });

  it("report of a user recipe's run that did not finish checking: judged by the recipe's checkers, as check judges it", () => {
    const dir = join(tmp(), "lease-lock-lease", "20260101T000000Z");
    writeLeaseLockRun(dir, { overlap: true });
    const r = cli("report", dir);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const page = readFileSync(join(dir, "report.html"), "utf8");
    expect(page).toContain("<h1>INVALID</h1>");
    expect(page).toMatch(/judged now by lease-lock(&#39;|')s own checkers/);
    expect(existsSync(join(dir, "results.json"))).toBe(false); // the folder stays as the run left it
    // The same checkers and verdicts as `check` (examples/lease-lock's: lock-safety, lost-updates; and
    // session-order, as on every workload).
    const c = cli("check", dir, "--json");
    expect(c.status).toBe(1);
    const checked = JSON.parse(c.stdout) as { checkers: Record<string, { valid: unknown }> };
    expect(Object.keys(checked.checkers)).toEqual(["lock-safety", "lost-updates", "session-order"]);
    const sections = [...page.matchAll(/<section class="checker( bad)?" id="checker-([\w-]+)"/g)];
    expect(sections.map((m) => [m[2], m[1] === " bad"])).toEqual(
      Object.entries(checked.checkers).map(([name, res]) => [name, res.valid === false]),
    );
  });

  it("report of a queue run killed before its final drain: judged now as cut, unknown with the reason", () => {
    const dir = join(tmp(), "queue-protected", "20260101T000000Z");
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "test.json"),
      JSON.stringify({ workload: "queue", variant: "protected", seed: 1 }),
    );
    const ops = [
      ["nemesis", "invoke", "phase", "main"],
      ["nemesis", "info", "phase", "main"],
      [0, "invoke", "enqueue", 1],
      [0, "ok", "enqueue", 1],
      [1, "invoke", "enqueue", 2],
      [1, "ok", "enqueue", 2],
      [2, "invoke", "dequeue", null],
      [2, "ok", "dequeue", 1],
    ].map(([process, type, f, value], index) =>
      JSON.stringify({ index, time: index * 1e6, process, type, f, value }),
    );
    writeFileSync(join(dir, "history.jsonl"), ops.join("\n") + "\n");
    const r = cli("report", dir);
    expect(r.status).toBe(0);
    const page = readFileSync(join(dir, "report.html"), "utf8").replace(/\s+/g, " ");
    expect(page).toContain("<h1>UNKNOWN</h1>");
    expect(page).toContain(
      "unknown: history cut before the final phase (the final phase never ran): 1 acknowledged item not dequeued by then, not judged lost",
    );
  });

  it("report of a recipe's run keeps the verdict its run stored; its module is not needed for that", () => {
    const dir = join(tmp(), "run");
    const results = { valid: true, checkers: { "lock-safety": { valid: true } }, stats: {} };
    writeLeaseLockRun(dir, { overlap: true, module: join(tmp(), "gone.ts"), results });
    const r = cli("report", dir);
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, "report.html"), "utf8")).toContain("<h1>VALID</h1>");
  });

  it("report of a recipe's unchecked run whose module is gone: the report without a verdict, one line, exit 254", () => {
    const dir = join(tmp(), "run");
    const module = join(tmp(), "gone.ts");
    writeLeaseLockRun(dir, { overlap: true, module });
    const r = cli("report", dir);
    expect(r.status).toBe(254);
    expect(r.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(
        /^zk-chaos: .*: cannot load workload lease-lock as this run used it.* --model M .*gone\.ts: not found$/,
      ),
    ]);
    const page = readFileSync(join(dir, "report.html"), "utf8");
    expect(page).toContain("<h1>INCOMPLETE</h1>");
    expect(page).toContain("cannot load workload lease-lock");
  });

  it.each([
    ["report", "a missing folder", (d: string) => ["report", join(d, "nope")], /no such folder/],
    [
      "report",
      "a folder that is not a run",
      (d: string) => ["report", d],
      /not a run folder \(no test\.json\)/,
    ],
    ["index", "a missing folder", (d: string) => ["index", join(d, "nope")], /no such folder/],
    ["serve", "a missing folder", (d: string) => ["serve", join(d, "nope"), "--port", "0"], /no such folder/],
  ])("%s of %s: one line, exit 254", (_cmd, _what, args, message) => {
    const r = cli(...args(tmp()));
    expect(r.status).toBe(254);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("index merges several results folders into one file", () => {
    const a = tmp();
    const b = tmp();
    writeSyntheticRun(join(a, "lock-naive", "20250101T010000Z"), { ops: 50 });
    writeSyntheticRun(join(b, "lock-naive", "20250102T010000Z"), { ops: 50, withoutResults: true });
    const out = join(tmp(), "all.html");
    const r = cli("index", a, b, "--out", out);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("(2 runs)");
    expect(readFileSync(out, "utf8")).toContain("1 invalid, 0 unknown, 1 incomplete");
  });

  it("serve prints its URL, serves the results and stops on SIGINT", async () => {
    const root = tmp();
    writeSyntheticRun(join(root, "lock-naive", "20250101T010000Z"), { ops: 50 });
    const child = spawn(process.execPath, [CLI, "serve", root, "--port", "0"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (c: Buffer) => {
        out += c.toString();
        const m = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on("exit", () => reject(new Error(`serve exited: ${out}`)));
    });
    expect(existsSync(join(root, "index.html"))).toBe(true);
    const index = await fetch(url);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain("zk-chaos runs");
    const code = new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    child.kill("SIGINT");
    expect(await code).toBe(0);
  }, 30_000);
});
