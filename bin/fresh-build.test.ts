import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BUILD_ENTRY, BUILD_MANIFEST, freshBuildEntry, isBuildFresh } from "./fresh-build.js";

describe("isBuildFresh", () => {
  const mtimes: Record<string, number> = { "a.ts": 100, "b.ts": 200 };
  const mtimeOf = (f: string): number | undefined => mtimes[f];

  it("runs the build when no input changed after it", () => {
    expect(isBuildFresh({ builtAt: 200, inputs: ["a.ts", "b.ts"] }, mtimeOf)).toBe(true);
  });
  it("runs the sources when an input is newer than the build", () => {
    expect(isBuildFresh({ builtAt: 150, inputs: ["a.ts", "b.ts"] }, mtimeOf)).toBe(false);
  });
  it("runs the sources when an input is gone", () => {
    expect(isBuildFresh({ builtAt: 300, inputs: ["a.ts", "gone.ts"] }, mtimeOf)).toBe(false);
  });
  it("runs the sources when the manifest is missing or malformed", () => {
    for (const m of [
      undefined,
      null,
      {},
      { builtAt: 300 },
      { builtAt: "300", inputs: ["a.ts"] },
      { builtAt: 300, inputs: [] },
    ])
      expect(isBuildFresh(m, mtimeOf)).toBe(false);
  });
});

describe("freshBuildEntry", () => {
  let root = "";
  const src = () => path.join(root, "src.ts");
  const writeManifest = (builtAt: number) => {
    mkdirSync(path.dirname(path.join(root, BUILD_MANIFEST)), { recursive: true });
    writeFileSync(path.join(root, BUILD_MANIFEST), JSON.stringify({ builtAt, inputs: ["src.ts"] }));
  };
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), "zk-chaos-fresh-"));
    writeFileSync(src(), "export {};\n");
    utimesSync(src(), 1000, 1000); // seconds
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("picks tsx when there is no build", () => {
    expect(freshBuildEntry(root)).toBeUndefined();
  });
  it("picks the build when it is newer than every source", () => {
    writeManifest(2_000_000);
    expect(freshBuildEntry(root)).toBe(path.join(root, BUILD_ENTRY));
  });
  it("picks tsx once a source is edited after the build", () => {
    writeManifest(2_000_000);
    utimesSync(src(), 3000, 3000);
    expect(freshBuildEntry(root)).toBeUndefined();
  });
  it("picks tsx when the manifest is unreadable", () => {
    writeManifest(2_000_000);
    writeFileSync(path.join(root, BUILD_MANIFEST), "{ half");
    expect(freshBuildEntry(root)).toBeUndefined();
  });
});
