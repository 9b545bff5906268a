/**
 * The repro builder's lines parse back, through the real CLI parser, to the spec they were built from:
 * every `run` option, a recipe by its path, words the shell would split or expand.
 */
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { reproCommandLine, reproLines, runCommandLine } from "../runner/command-line.ts";
import { RUN_FLAGS, type TestSpec } from "../runner/test-spec.ts";
import { buildProgram } from "./program.ts";

const given: Record<string, unknown>[] = [];
vi.mock("./commands/run.ts", () => ({
  runCommand: async (opts: Record<string, unknown>) => (given.push(opts), 0),
  reproCommand: async () => 0,
}));

/** POSIX shell words of a line built of bare words and '…' quotes with '\'' escapes (what the builder writes). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === " ") {
      if (word !== null) words.push(word);
      word = null;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      word = (word ?? "") + line.slice(i + 1, end);
      i = end;
    } else if (c === "\\") {
      word = (word ?? "") + line[++i];
    } else word = (word ?? "") + c;
  }
  if (word !== null) words.push(word);
  return words;
}

/** What `zk-chaos run` hands to the run command for a built line. */
async function parsed(line: string): Promise<Record<string, unknown>> {
  const words = shellWords(line);
  expect(words.slice(0, 3)).toEqual(["npx", "zk-chaos", "run"]);
  given.length = 0;
  await buildProgram(() => undefined).parseAsync(words.slice(2), { from: "user" });
  expect(given).toHaveLength(1);
  return Object.fromEntries(Object.entries(given[0]!).filter(([, v]) => v !== undefined));
}

const full: TestSpec = {
  workload: "queue",
  variant: "protected",
  nodes: 5,
  observers: 2,
  zkVersion: "3.4",
  clients: 7,
  client: "node-zookeeper-client",
  timeLimit: 45,
  rate: 120,
  nemesis: ["partition", "client-pause"],
  nemesisInterval: 3,
  partitionMode: "refuse",
  clientPauseMode: "network",
  target: "leader",
  seed: 12345,
  results: "/tmp/night's results/a b",
  sessionTimeoutMs: 6000,
  afterHealBoundMs: 12_000,
  tickTimeMs: 500,
  checkTimeout: 90,
  zkImage: "registry.local/zk:3.9",
  proxyImage: "toxi$proxy`x`:1",
};

describe("runCommandLine", () => {
  it("parses back to the same spec, every option of `run` included", async () => {
    const back = await parsed(runCommandLine(full));
    const expected = Object.fromEntries(
      RUN_FLAGS.map(([key]) => [key, key === "nemesis" ? full.nemesis.join(",") : full[key]]),
    );
    expect(back).toEqual(expected);
  });

  it("covers every option the CLI's run command has (but --junit)", () => {
    const run = buildProgram(() => undefined).commands.find((c) => c.name() === "run")!;
    const flags = run.options.map((o) => o.long).filter((f) => f !== "--junit");
    expect(new Set(RUN_FLAGS.map(([, flag]) => flag))).toEqual(new Set(flags));
  });

  it("names a user's recipe by its module's path, relative to where it is run", async () => {
    const cwd = process.cwd();
    const line = runCommandLine(
      { workload: "lease-lock", workloadModule: join(cwd, "examples/lease-lock/lease-lock.ts"), seed: 1 },
      cwd,
    );
    expect(line).toBe("npx zk-chaos run --workload ./examples/lease-lock/lease-lock.ts --seed 1");
    expect(await parsed(line)).toEqual({ workload: "./examples/lease-lock/lease-lock.ts", seed: 1 });
    expect(runCommandLine({ workload: "x", workloadModule: "/elsewhere/my recipe.ts" }, cwd)).toBe(
      "npx zk-chaos run --workload '/elsewhere/my recipe.ts'",
    );
  });

  it("leaves out the default results folder and fields a spec does not have", () => {
    expect(runCommandLine({ workload: "lock", results: "results", nemesis: ["none"] })).toBe(
      "npx zk-chaos run --workload lock --nemesis none",
    );
  });
});

describe("reproCommandLine", () => {
  it("quotes a folder the shell would split", () => {
    expect(reproCommandLine("/data/it's here/run", "/elsewhere")).toBe(
      "npx zk-chaos repro '/data/it'\\''s here/run'",
    );
    expect(shellWords(reproCommandLine("/data/it's here/run", "/elsewhere"))[3]).toBe("/data/it's here/run");
    expect(reproCommandLine("/w/results/lock-naive/1", "/w")).toBe("npx zk-chaos repro results/lock-naive/1");
  });
});

describe("reproLines", () => {
  it("gives `repro DIR` where the run has a folder, then the run line", () => {
    const spec = { workload: "lock", seed: 2 };
    expect(reproLines("/w/results/lock-naive/1", spec, "/w")).toEqual([
      "npx zk-chaos repro results/lock-naive/1",
      "npx zk-chaos run --workload lock --seed 2",
    ]);
    expect(reproLines(undefined, spec, "/w")).toEqual(["npx zk-chaos run --workload lock --seed 2"]);
  });
});
