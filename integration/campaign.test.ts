import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { docker } from "../docker/engine.ts";
import { PID_LABEL, RUN_LABEL } from "../docker/versions.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const CLI = join(ROOT, "bin/zk-chaos.js");

function cli(
  args: string[],
  cwd: string,
): Promise<{ code: number | null; pid: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (err += b.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, pid: child.pid!, out, err }));
  });
}

async function leftovers(pid: number): Promise<number> {
  const label = [RUN_LABEL, `${PID_LABEL}=${pid}`];
  const c = await docker.listContainers({ all: true, filters: { label } });
  const n = await docker.listNetworks({ filters: { label } });
  return c.length + n.length;
}

const runDirs = (results: string) =>
  readdirSync(results)
    .filter((d) => d.includes("-") && d !== "latest")
    .flatMap((w) => readdirSync(join(results, w)).map((s) => join(results, w, s)));

describe("zk-chaos campaign on real ensembles", { tags: ["docker"] }, () => {
  const cwd = mkdtempSync(join(tmpdir(), "zk-chaos-campaign-cli-"));
  const results = join(cwd, "results");

  it("2 workloads × 1 nemesis × 1 seed, two at a time: table, folders, JUnit, index, exit code", async () => {
    const r = await cli(
      [
        "campaign",
        ...["--workloads", "lock,register", "--variants", "lock.fenced,register.sync"],
        ...["--nemeses", "partition", "--seeds", "1", "--seed", "5", "--time-limit", "6"],
        ...["--nodes", "3", "--clients", "2", "--parallel", "2"],
        ...["--results", "results", "--junit", "junit.xml"],
      ],
      cwd,
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^campaign: 2 runs, seed 5, 2 at a time, 6 s each$/m);
    // Progress says which run of how many.
    expect(r.err).toMatch(/\[1\/2\] lock\.fenced partition seed 5: started/);
    expect(r.err).toMatch(/\[2\/2\] register\.sync partition seed 5: valid in \d+s → results\//);
    // The table: header, one row per run, the counts.
    expect(r.out).toMatch(/^#\s+run\s+nemesis\s+zk\s+seed\s+verdict\s+first\s+time\s+ops/m);
    expect(r.out).toMatch(
      /^1\s+lock\.fenced\s+partition\s+3\.8\.\d+\s+5\s+valid\s+-\s+\d+s\s+\d+\s+-\s+results\/lock-fenced\//m,
    );
    expect(r.out).toMatch(/^2\s+register\.sync\s+partition\s+3\.8\.\d+\s+5\s+valid/m);
    expect(r.out).toContain("2 runs: 2 valid, 0 invalid");

    const dirs = runDirs(results);
    expect(dirs).toHaveLength(2);
    for (const dir of dirs) {
      const res = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as { valid: unknown };
      expect(res.valid).toBe(true);
      expect(JSON.parse(readFileSync(join(dir, "test.json"), "utf8"))).toMatchObject({ seed: 5, clients: 2 });
      // Each run's harness.log has its own lines only, though the runs overlapped.
      const runs = readFileSync(join(dir, "harness.log"), "utf8")
        .trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as { run?: string }).run)
        .filter((x) => x !== undefined);
      expect(runs.length).toBeGreaterThan(0);
      expect(new Set(runs)).toEqual(new Set([dir]));
    }

    const xml = readFileSync(join(cwd, "junit.xml"), "utf8");
    expect(xml).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="zk-chaos" tests="2" failures="0" errors="0"/,
    );
    expect(xml.match(/<testsuite /g)).toHaveLength(2);
    // One ZooKeeper line: the names do not repeat it.
    expect(xml).toMatch(/<testcase classname="lock\.fenced" name="partition seed 5" time="\d+\.\d{3}">/);
    expect(xml).toMatch(/<testcase classname="register\.sync" name="partition seed 5" time="\d+\.\d{3}">/);
    expect(xml).not.toMatch(/<failure|<error/);

    if (existsSync(join(ROOT, "report/results-index.ts"))) {
      expect(r.out).toMatch(/^index: results\/index\.html \(2 runs\)$/m);
      expect(existsSync(join(results, "index.html"))).toBe(true);
    }
    expect(await leftovers(r.pid)).toBe(0);
  }, 240_000);

  it("repro reruns a campaign run's spec and seed and says whether the verdict reproduced", async () => {
    // The register cell: its final phase has no probe to wait for.
    const dir = runDirs(results).find((d) => d.includes("register-sync"))!;
    const r = await cli(["repro", dir, "--junit", "repro.xml"], cwd);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(
      /^repro of .*register-sync.*: register --variant sync --nemesis partition --seed 5 \(was valid\)$/m,
    );
    expect(r.out).toMatch(/^reproduced: yes \(was valid, now valid\)$/m);
    expect(readFileSync(join(cwd, "repro.xml"), "utf8")).toMatch(
      /<testsuites name="zk-chaos" tests="1" failures="0" errors="0"/,
    );
    expect(runDirs(results)).toHaveLength(3);
  }, 240_000);
});
