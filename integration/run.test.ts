import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { removeLabelled } from "../docker/cleanup.ts";
import { docker } from "../docker/engine.ts";
import { PID_LABEL, RUN_LABEL } from "../docker/versions.ts";
import { historyShapeProblems } from "../harness/runner/history-shape.ts";
import { runOnDocker } from "../harness/cli/run-on-docker.ts";
import type { Op } from "../kernel/op.ts";

const CLI = join(dirname(fileURLToPath(import.meta.url)), "../bin/zk-chaos.js");
const tmp = () => mkdtempSync(join(tmpdir(), "zk-chaos-run-test-"));
const readHistory = (dir: string): Op[] =>
  readFileSync(join(dir, "history.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Op);

/** Containers and networks of runs owned by `pid` (other runs on this engine are not ours to count). */
async function labelledCount(pid: number | undefined = process.pid): Promise<number> {
  const label = [RUN_LABEL, `${PID_LABEL}=${pid}`];
  const c = await docker.listContainers({ all: true, filters: { label } });
  const n = await docker.listNetworks({ filters: { label } });
  return c.length + n.length;
}

/** The one run folder under a fresh results root. */
function runDir(root: string): string {
  const [w] = readdirSync(root).filter((d) => d !== "latest");
  const [stamp] = readdirSync(join(root, w!));
  return join(root, w!, stamp!);
}

const base = { workload: "register", variant: "sync", clients: 3, rate: 50, nodes: 3, nemesisInterval: 2 };

describe("runTest with each nemesis", { tags: ["docker"] }, () => {
  it.each(["partition", "latency", "pause", "kill", "client-pause"])(
    "%s: a well-formed history with the nemesis's targets, a verdict and every file in place",
    async (nemesis) => {
      const out = await runOnDocker({ ...base, nemesis: [nemesis], timeLimit: 5, seed: 7, results: tmp() });
      const history = readHistory(out.dir);
      expect(historyShapeProblems(history)).toEqual([]);
      const faults = history.filter((o) => o.process === "nemesis" && o.type === "info" && o.f !== "phase");
      expect(faults.length).toBeGreaterThanOrEqual(2);
      expect(faults.some((o) => o.value !== null && o.error === undefined)).toBe(true);
      expect(history.filter((o) => o.type === "ok").length).toBeGreaterThan(0);
      for (const f of ["test.json", "results.json", "report.html", "harness.log", "resource.jsonl"])
        expect(existsSync(join(out.dir, f)), f).toBe(true);
      expect(readdirSync(join(out.dir, "nodes")).sort()).toEqual([
        "proxy.log",
        "zk1.log",
        "zk2.log",
        "zk3.log",
      ]);
      expect(out.results.valid).not.toBe(false);
      expect(await labelledCount()).toBe(0);
    },
    180_000,
  );

  it("client-pause, network mode: one client's own links go dark; it loses its connection, the rest go on", async () => {
    const out = await runOnDocker({
      ...base,
      nemesis: ["client-pause"],
      clientPauseMode: "network",
      timeLimit: 6,
      seed: 3,
      results: tmp(),
    });
    const history = readHistory(out.dir);
    expect(historyShapeProblems(history)).toEqual([]);
    const pause = history.find((o) => o.process === "nemesis" && o.type === "info" && o.f === "pause-client");
    expect(pause?.value).toMatchObject({ mode: "network" });
    const slot = (pause!.value as { slot: number }).slot;
    // Process numbers of a slot are slot + k·clients; the cut-off client's ops end without an ok.
    const ofSlot = (o: Op) => typeof o.process === "number" && o.process % base.clients === slot;
    const after = history.filter((o) => o.index > pause!.index && o.type !== "invoke");
    expect(after.some((o) => ofSlot(o) && o.error !== undefined)).toBe(true);
    expect(after.some((o) => !ofSlot(o) && o.process !== "nemesis" && o.type === "ok")).toBe(true);
    expect(await labelledCount()).toBe(0);
  }, 180_000);
});

describe("determinism", { tags: ["docker"] }, () => {
  it("the same seed gives the same op sequence and the same fault schedule", async () => {
    const spec = { ...base, nemesis: ["kill", "client-pause"], timeLimit: 5, seed: 4242 };
    const a = readHistory((await runOnDocker({ ...spec, results: tmp() })).dir);
    const b = readHistory((await runOnDocker({ ...spec, results: tmp() })).dir);
    const faults = (h: Op[]) =>
      h.filter((o) => o.process === "nemesis" && o.type === "info").map((o) => [o.f, o.value]);
    expect(faults(a).length).toBeGreaterThanOrEqual(2);
    expect(faults(a)).toEqual(faults(b));
    // The n-th op dispatched is the same; the invoke lines carry them in dispatch order per process.
    const ops = (h: Op[]) =>
      h
        .filter((o) => o.type === "invoke" && o.process !== "nemesis")
        .map((o) => JSON.stringify([o.f, o.value]))
        .sort();
    const n = Math.min(ops(a).length, ops(b).length);
    expect(n).toBeGreaterThan(50);
    const common = (x: string[], y: string[]) => {
      const m = new Map<string, number>();
      for (const s of x) m.set(s, (m.get(s) ?? 0) + 1);
      let k = 0;
      for (const s of y) {
        const left = m.get(s) ?? 0;
        if (left > 0) {
          m.set(s, left - 1);
          k++;
        }
      }
      return k;
    };
    // Same multiset of ops up to the few that only the longer run got to dispatch.
    expect(common(ops(a), ops(b))).toBeGreaterThanOrEqual(n - 10);
  }, 240_000);
});

function startCli(args: string[]) {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => out };
}

async function waitForOps(
  root: string,
  n: number,
  timeoutMs: number,
  run: ReturnType<typeof startCli>,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void run.exited.then(() => (exited = true));
  for (;;) {
    if (exited) throw new Error(`the run exited early: ${run.output()}`);
    try {
      const dir = runDir(root);
      if (readHistory(dir).length >= n) return dir;
    } catch {
      // not there yet
    }
    if (Date.now() > deadline) throw new Error(`no ${n} ops within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A two-minute register run through the CLI, to be interrupted. */
const startLongRun = (root: string, nemesis: string) =>
  startCli([
    "run",
    "--workload",
    "register",
    "--variant",
    "sync",
    "--time-limit",
    "120",
    "--nemesis",
    nemesis,
    "--nemesis-interval",
    "2",
    "--clients",
    "3",
    "--rate",
    "50",
    "--results",
    root,
  ]);

describe("the harness's own faults", { tags: ["docker"] }, () => {
  it("SIGINT heals, removes every container and network, and still checks what was recorded", async () => {
    const root = tmp();
    const run = startLongRun(root, "partition");
    const dir = await waitForOps(root, 60, 120_000, run);
    expect(await labelledCount(run.child.pid)).toBeGreaterThan(0);
    run.child.kill("SIGINT");
    const code = await run.exited;
    expect([0, 1, 2]).toContain(code);
    expect(existsSync(join(dir, "results.json"))).toBe(true);
    expect(await labelledCount(run.child.pid)).toBe(0);
  }, 240_000);

  it("SIGKILL leaves a history `zk-chaos check` reads; the leftovers are removed by label afterwards", async () => {
    const root = tmp();
    const run = startLongRun(root, "none");
    const dir = await waitForOps(root, 60, 120_000, run);
    run.child.kill("SIGKILL");
    await run.exited;
    const check = startCli(["check", join(dir, "history.jsonl")]);
    const code = await check.exited;
    expect(code, check.output()).not.toBe(254);
    expect(code, check.output()).not.toBe(255);
    expect(check.output()).toMatch(/history\.jsonl/);
    // Its containers outlive it; the owner is gone, so an orphan sweep takes them.
    expect(await labelledCount(run.child.pid)).toBeGreaterThan(0);
    await removeLabelled({ orphansOnly: true });
    expect(await labelledCount(run.child.pid)).toBe(0);
  }, 240_000);
});
