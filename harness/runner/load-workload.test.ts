import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { defineWorkload, isDefinedWorkload } from "../../workloads/define-workload.ts";
import { BadInputError } from "../../kernel/errors.ts";
import { checkClientModule, resolveWorkload, workloadModuleOf } from "./load-workload.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const fixture = (name: string) => `./harness/runner/testing/${name}`;
const load = (ref: string) => resolveWorkload(ref, { cwd: ROOT });

describe("resolving --workload", () => {
  it("finds a built-in by name", async () => {
    expect((await load("lock")).name).toBe("lock");
  });

  it("loads a user's module by path, relative to the working directory", async () => {
    const w = await load(fixture("good.js"));
    expect(isDefinedWorkload(w)).toBe(true);
    expect(w.name).toBe("good");
    expect(w.clientModule).toMatch(/^file:\/\/.*\/testing\/good\.js#good$/);
    expect(workloadModuleOf(w)).toBe(join(ROOT, "harness/runner/testing/good.js"));
    expect([...w.reads]).toEqual(["read"]);
    expect(w.variants.map((v) => w.fencedResource?.(v))).toEqual([false, true]);
    expect(w.checkers("plain", []).map((c) => c.name)).toEqual(["lock-safety", "total-queue"]);
    expect(w.nextOp(undefined as never, 7)).toEqual({ f: "write", value: 7 });
  });

  it("loads an installed package by name, from the working directory", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zk-chaos-pkg-"));
    const pkg = join(dir, "node_modules", "my-recipe");
    mkdirSync(join(pkg, "dist"), { recursive: true });
    writeFileSync(
      join(pkg, "package.json"),
      JSON.stringify({ name: "my-recipe", type: "module", exports: { ".": { import: "./dist/index.js" } } }),
    );
    writeFileSync(
      join(pkg, "dist", "index.js"),
      `export default { name: "pkg", variants: ["a"], clientModule: "/nowhere.js", nextOp: () => ({ f: "x", value: null }), checkers: () => [] };\n`,
    );
    const w = await resolveWorkload("my-recipe", { cwd: join(dir, "sub", "..") });
    expect(w.name).toBe("pkg");
    expect(w.reads.size).toBe(0);
  });

  it("finds a workload exported by name when told its name (repro from test.json)", async () => {
    const file = join(ROOT, "harness/runner/testing/named-only.js");
    const w = await resolveWorkload(file, { name: "named" });
    expect(w.name).toBe("named");
    expect(w.clientModule).toMatch(/named-only\.js#named$/);
    await expect(resolveWorkload(file)).rejects.toThrow(/named-only\.js: no default export/);
  });

  it.each([
    ["no-default.js", /no-default\.js: no default export \(export default defineWorkload/],
    [
      "not-a-workload.js",
      /not-a-workload\.js: not a workload, missing variants, clientModule, nextOp, checkers/,
    ],
    ["missing-next-op.js", /missing-next-op\.js: workload no-ops: missing 'nextOp'/],
    [
      "unknown-checker.js",
      /unknown-checker\.js: workload typo: unknown checker 'lock-safty' \(known: lock-safety,/,
    ],
    [
      "bad-checker-option.js",
      /workload bad-option: checker lock-safety: option fenced must be a boolean, got "yes"/,
    ],
    ["throws.js", /throws\.js failed to load: cannot start: config missing/],
    ["missing.ts", /workload module .*missing\.ts not found/],
  ])("rejects %s with one line saying what is wrong", async (name, message) => {
    const err = await load(fixture(name)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain("\n");
  });

  it("names the built-ins for an unknown name", async () => {
    await expect(load("nope")).rejects.toThrow(/unknown workload 'nope' \(built-in: lock, .*or a path/);
  });

  it("refuses a workload a worker could not import: one defined inside a test file", async () => {
    const inline = defineWorkload({
      name: "inline",
      variants: ["a"],
      client: () => ({ invoke: async () => ({ type: "ok" }) }),
      nextOp: () => ({ f: "x", value: null }),
      checkers: [],
    });
    await expect(checkClientModule(inline)).rejects.toThrow(/workload inline is defined in a test file/);
    await expect(checkClientModule(await load(fixture("good.js")))).resolves.toBeUndefined();
  });
});

describe("the CLI with a malformed workload module", () => {
  it("exits 254 with one line naming the module and what is missing", async () => {
    const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ["bin/zk-chaos.js", "run", "--workload", fixture("missing-next-op.js"), "--time-limit", "5"],
        { cwd: ROOT, timeout: 60_000 },
        (err, stdout, stderr) => resolve({ code: err ? (err.code as number) : 0, stdout, stderr }),
      );
    });
    expect(out.code).toBe(254);
    expect(out.stdout).toBe("");
    expect(out.stderr.trim().split("\n")).toEqual([
      "zk-chaos: ./harness/runner/testing/missing-next-op.js: workload no-ops: missing 'nextOp' (random, n) => ({ f, value })",
    ]);
  }, 60_000);
});
