/**
 * The harness survives its own faults, on a real ensemble: an op generator that throws ends runTest with
 * that error — after healing the faults, stopping the workers and removing every container and network,
 * with the history recorded so far kept on disk. A worker process killed from outside is no harness fault
 * but a client crash: recorded, replaced, and the run is judged. An abort that comes while the ensemble is
 * still starting skips the main phase instead of running it to the time limit.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { docker } from "../docker/engine.ts";
import { ensureImages } from "../docker/images.ts";
import { ZooKeeperEnsemble } from "../docker/zookeeper-ensemble.ts";
import { PID_LABEL, RUN_LABEL } from "../docker/versions.ts";
import { registerWorkload } from "../workloads/register/index.ts";
import type { Workload } from "../workloads/workload.ts";
import { historyCompleteness } from "../checkers/history-completeness.ts";
import { execFile } from "../kernel/exec.ts";
import { isClientOp, type Op } from "../kernel/op.ts";
import { runOnDocker } from "../harness/cli/run-on-docker.ts";

const tmp = () => mkdtempSync(join(tmpdir(), "zk-chaos-harness-faults-"));
const base = {
  workload: "register",
  variant: "sync",
  clients: 3,
  rate: 50,
  nodes: 3,
  nemesis: ["partition"],
  nemesisInterval: 2,
  timeLimit: 120,
};

const CLI = join(dirname(fileURLToPath(import.meta.url)), "../bin/zk-chaos.js");

/** Containers and networks labelled as owned by `pid` (default: this process). */
async function ours(pid = process.pid): Promise<number> {
  const label = [RUN_LABEL, `${PID_LABEL}=${pid}`];
  const c = await docker.listContainers({ all: true, filters: { label } });
  const n = await docker.listNetworks({ filters: { label } });
  return c.length + n.length;
}

/** Pids of this process's worker children. */
async function workerPids(): Promise<number[]> {
  const r = await execFile("ps", ["-o", "pid=,args=", "--ppid", String(process.pid)]);
  return r.stdout
    .split("\n")
    .filter((l) => l.includes("worker-main"))
    .map((l) => Number(l.trim().split(/\s+/)[0]));
}

/** The history lines of the one run under `root`. */
function historyLines(root: string): string[] {
  const [w] = readdirSync(root).filter((d) => d !== "latest" && d !== "index.html");
  if (!w) return [];
  const [stamp] = readdirSync(join(root, w));
  const file = join(root, w, stamp!, "history.jsonl");
  return existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
}

const ops = (root: string): Op[] => historyLines(root).map((l) => JSON.parse(l) as Op);

async function until(cond: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("the harness's own faults inside a run", { tags: ["docker"] }, () => {
  it("a worker killed mid-run from outside is a client crash: recorded, replaced, judged, nothing left", async () => {
    const root = tmp();
    const run = runOnDocker({ ...base, timeLimit: 6, results: root, seed: 5 });
    run.catch(() => undefined);
    await until(() => historyLines(root).length >= 60, 120_000);
    const [victim] = await workerPids();
    expect(victim).toBeGreaterThan(0);
    process.kill(victim!, "SIGKILL");
    const out = await run;
    expect(existsSync(join(out.dir, "results.json"))).toBe(true);
    expect(out.results.stats).toMatchObject({ clientCrashes: 1, slotsRetired: 0 });
    const crashed = historyLines(root)
      .map((l) => JSON.parse(l) as { crash?: { signal: string | null } })
      .filter((o) => o.crash);
    expect(crashed.map((o) => o.crash!.signal)).toEqual(["SIGKILL"]);
    expect(await ours()).toBe(0);
    expect(await workerPids()).toEqual([]);
  }, 240_000);

  it("an op generator that throws: the same, with the generator's error", async () => {
    const root = tmp();
    const buggy: Workload = {
      ...registerWorkload,
      nextOp: (random, i) => {
        if (i === 80) throw new Error("generator bug at op 80");
        return registerWorkload.nextOp(random, i);
      },
    };
    await expect(runOnDocker({ ...base, results: root, seed: 6 }, { workload: buggy })).rejects.toThrow(
      /generator bug at op 80/,
    );
    // It ended at the error, not at its 120-s time limit: the main phase never gave way to the final one.
    expect(historyCompleteness(ops(root))).toEqual({ whole: false, reason: "the final phase never ran" });
    expect(await ours()).toBe(0);
    expect(await workerPids()).toEqual([]);
    expect(historyLines(root).length).toBeGreaterThanOrEqual(80);
  }, 240_000);

  it("an abort while the ensemble starts: no op, no final phase, a checked (empty) run, nothing left", async () => {
    const root = tmp();
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 500);
    const out = await runOnDocker({ ...base, results: root, seed: 7 }, { signal: abort.signal });
    expect(existsSync(join(out.dir, "results.json"))).toBe(true);
    // Not a 120-s run cut short: the main phase is marked, but no op was ever invoked and no final phase ran.
    expect(ops(root).filter(isClientOp)).toEqual([]);
    expect(historyCompleteness(ops(root))).toEqual({ whole: false, reason: "the final phase never ran" });
    expect(await ours()).toBe(0);
  }, 240_000);

  it("after a SIGKILL, `zk-chaos clean` removes the dead run's containers and networks, not a live run's", async () => {
    const root = tmp();
    const child = spawn(
      process.execPath,
      [CLI, "run", "--workload", "register", "--nemesis", "none", "--time-limit", "120", "--results", root],
      { stdio: "ignore" },
    );
    const dead = child.pid!;
    const exited = new Promise((r) => child.on("exit", r));
    await until(async () => (await ours(dead)) >= 5, 120_000); // network, proxy, three servers
    await until(() => historyLines(root).length > 0, 60_000);
    child.kill("SIGKILL");
    await exited;
    const images = await ensureImages();
    const live = await new ZooKeeperEnsemble(images.zookeeper).withNodes(3).start();
    try {
      const before = await ours();
      expect(before).toBeGreaterThan(0);
      const clean = spawn(process.execPath, [CLI, "clean"], { stdio: ["ignore", "pipe", "inherit"] });
      let out = "";
      clean.stdout.on("data", (d: Buffer) => (out += d.toString()));
      expect(await new Promise((r) => clean.on("exit", r))).toBe(0);
      expect(out).toMatch(/removed [1-9]\d* container\(s\) and [1-9]\d* network\(s\)/);
      expect(await ours(dead)).toBe(0);
      expect(await ours()).toBe(before);
    } finally {
      await live.stopAll();
    }
    expect(await ours()).toBe(0);
  }, 300_000);
});
