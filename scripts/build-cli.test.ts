import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCli, type BuildManifest } from "./build-cli.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// Inside the package (not /tmp), where the bundle's packages resolve and at dist/cli's depth.
const OUT = path.join(ROOT, "dist", `test-${process.pid}`);
const run = promisify(execFile);

describe("the compiled CLI", () => {
  let manifest: BuildManifest;
  beforeAll(async () => {
    manifest = await buildCli(OUT);
  }, 60_000);
  afterAll(() => rmSync(OUT, { recursive: true, force: true }));

  it("lists its sources, this script included, all of which exist", () => {
    expect(manifest.inputs).toContain("harness/cli/main.ts");
    expect(manifest.inputs).toContain("scripts/build-cli.mjs");
    for (const f of manifest.inputs) expect(existsSync(path.join(ROOT, f)), f).toBe(true);
  });

  it("resolves every import.meta.url-relative path to the source file it meant", () => {
    const files = readdirSync(OUT, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".js"));
    // All output in one folder: the paths are relative to it.
    expect(files.every((f) => !f.includes(path.sep))).toBe(true);
    const urls = files.flatMap((f) =>
      [...readFileSync(path.join(OUT, f), "utf8").matchAll(/new URL\("([^"]+)", import\.meta\.url\)/g)].map(
        (m) => m[1]!,
      ),
    );
    expect(urls).toContain("../../harness/worker/worker-pool.ts");
    for (const u of urls) expect(existsSync(fileURLToPath(new URL(u, `file://${OUT}/`))), u).toBe(true);
  });

  it("runs: --version from package.json, check of a history", async () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    const main = path.join(OUT, "main.js");
    expect((await run(process.execPath, [main, "--version"])).stdout.trim()).toBe(pkg.version);
    const golden = path.join(ROOT, "checkers/testing/golden/porcupine-kv-ok.txt");
    expect((await run(process.execPath, [main, "check", golden])).stdout).toMatch(
      /porcupine-kv-ok\.txt: valid /,
    );
  }, 30_000);
});
