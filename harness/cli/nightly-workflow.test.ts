import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
// `yaml` arrives with testcontainers (docker-compose); a direct devDependency would make that explicit.
import { parse } from "yaml";
import { buildProgram } from "./program.ts";
import { expandMatrix, parseNemeses } from "../campaign/matrix.ts";
import { parseZkVersions } from "../../kernel/zk-version.ts";

const FILE = join(dirname(fileURLToPath(import.meta.url)), "../../.github/workflows/nightly.yml");

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  "runs-on": string;
  strategy?: { "fail-fast"?: boolean; matrix: Record<string, unknown> };
  steps: Step[];
}
interface Workflow {
  name: string;
  on: {
    schedule: { cron: string }[];
    workflow_dispatch: { inputs: Record<string, { default?: string; options?: string[] }> };
  };
  env: Record<string, string>;
  jobs: Record<string, Job>;
}

const wf = parse(readFileSync(FILE, "utf8"), { strict: true, uniqueKeys: true }) as Workflow;
const step = (job: Job, pred: (s: Step) => boolean) => job.steps.find(pred);
const campaignFlags = (): string[] => {
  const cmd = buildProgram(() => undefined).commands.find((c) => c.name() === "campaign")!;
  return cmd.options.map((o) => o.long!);
};

describe(".github/workflows/nightly.yml", () => {
  it("parses, runs on a schedule and by hand with a seed and a time limit", () => {
    expect(wf.name).toBeTruthy();
    expect(wf.on.schedule[0]!.cron.split(/\s+/)).toHaveLength(5);
    expect(Object.keys(wf.on.workflow_dispatch.inputs)).toEqual(
      expect.arrayContaining(["seed", "time-limit"]),
    );
    expect(wf.env.SEED).toContain("inputs.seed");
    expect(wf.env.TIME_LIMIT).toContain("inputs.time-limit");
  });

  it("a matrix of workload × nemesis that zk-chaos accepts, each with the variants that must stay valid", () => {
    const job = wf.jobs.chaos!;
    expect(job.strategy!["fail-fast"]).toBe(false);
    const m = job.strategy!.matrix as {
      workload: string[];
      nemesis: string[];
      include: { workload: string; correct: string }[];
    };
    expect(m.workload.length).toBeGreaterThan(1);
    expect(m.nemesis.length).toBeGreaterThan(1);
    for (const n of m.nemesis) expect(() => parseNemeses(n)).not.toThrow();
    expect(m.include.map((i) => i.workload).sort()).toEqual([...m.workload].sort());
    for (const i of m.include)
      expect(() =>
        expandMatrix({ workloads: i.workload, variants: i.correct, seeds: 1, firstSeed: 1 }),
      ).not.toThrow();
  });

  it("each cell: Node 20, npm ci, cached images, a campaign with JUnit, results uploaded always", () => {
    const job = wf.jobs.chaos!;
    expect(job["runs-on"]).toBe("ubuntu-latest");
    expect(step(job, (s) => s.uses?.startsWith("actions/setup-node@") === true)!.with!["node-version"]).toBe(
      20,
    );
    expect(step(job, (s) => s.run?.trim().startsWith("npm ci") === true)).toBeDefined();
    const cache = step(job, (s) => s.uses?.startsWith("actions/cache@") === true)!;
    expect(cache.with!.key).toMatch(/hashFiles\('docker\/versions\.ts'/);
    expect(step(job, (s) => /docker load -i/.test(s.run ?? ""))!.if).toMatch(/cache-hit == 'true'/);
    expect(step(job, (s) => /docker save -o/.test(s.run ?? ""))!.if).toMatch(/cache-hit != 'true'/);
    expect(cache.with!.key).toMatch(/docker\/zk-flavours\.ts/);
    expect(cache.with!.key).toContain("env.ZK_VERSIONS");
    expect(step(job, (s) => /zk-chaos images --zk-versions "\$ZK_VERSIONS"/.test(s.run ?? ""))).toBeDefined();
    const campaign = step(job, (s) => /zk-chaos campaign/.test(s.run ?? ""))!;
    expect(campaign.run).toMatch(/--junit results\/junit\.xml/);
    // Every ZooKeeper line, by default all three; a bad list would stop the campaign before it starts.
    expect(campaign.run).toMatch(/--zk-versions "\$ZK_VERSIONS"/);
    expect(wf.env.ZK_VERSIONS).toContain("inputs.zk-versions");
    const lines = wf.on.workflow_dispatch.inputs["zk-versions"]!.default!;
    expect(parseZkVersions(lines)).toEqual(["3.4", "3.8", "3.9"]);
    // Every flag the workflow passes is one the CLI defines.
    const flags = [...campaign.run!.matchAll(/\s(--[a-z-]+)/g)].map((x) => x[1]!);
    expect(flags.length).toBeGreaterThan(5);
    for (const f of flags) expect(campaignFlags()).toContain(f);
    // No ${{ }} inside the script: inputs reach it through env (no injection).
    expect(campaign.run).not.toContain("${{");
    const upload = step(job, (s) => s.uses?.startsWith("actions/upload-artifact@") === true)!;
    expect(upload.if).toBe("always()");
    expect(upload.with!.path).toBe("results/");
  });

  it("a final job merges every artifact into one index and publishes the JUnit", () => {
    const job = wf.jobs.merge!;
    expect(job.needs).toBe("chaos");
    expect(job.if).toBe("always()");
    expect(step(job, (s) => s.uses?.startsWith("actions/download-artifact@") === true)).toBeDefined();
    expect(step(job, (s) => /npx zk-chaos index /.test(s.run ?? ""))).toBeDefined();
    const report = step(job, (s) => s.uses?.startsWith("dorny/test-reporter@") === true)!;
    expect(report.with).toMatchObject({ reporter: "java-junit" });
    expect(step(job, (s) => s.uses?.startsWith("actions/upload-artifact@") === true)).toBeDefined();
  });

  it("every action is pinned to a version", () => {
    for (const job of Object.values(wf.jobs))
      for (const s of job.steps) if (s.uses) expect(s.uses).toMatch(/^[\w.-]+\/[\w.-]+@v\d+$/);
  });
});
