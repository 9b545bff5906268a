/**
 * The docker phase (`npm run test:docker`) collects only the paths its script names, so that it does not
 * import every unit test file to read its tags: a docker-tagged file anywhere else would never run.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = import.meta.dirname;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === "node_modules" || e.name === "results" || e.name.startsWith(".")) return [];
    const path = join(dir, e.name);
    return e.isDirectory() ? testFiles(path) : e.name.endsWith(".test.ts") ? [path] : [];
  });
}

describe("the docker phase's paths", () => {
  it("hold every docker-tagged test file", () => {
    const script = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts[
      "test:docker"
    ] as string;
    const paths = script
      .split(/\s+/)
      .filter((w) => w !== "" && !w.startsWith("-") && w !== "vitest" && w !== "run");
    expect(paths.length).toBeGreaterThan(0);
    const tagged = testFiles(root)
      .filter((f) => /tags:\s*\[[^\]]*["']docker["']/.test(readFileSync(f, "utf8")))
      .map((f) => relative(root, f));
    expect(tagged.length).toBeGreaterThan(10);
    const outside = tagged.filter((f) => !paths.some((p) => f === p || f.startsWith(`${p}/`)));
    expect(outside, "docker-tagged files the docker phase would not collect").toEqual([]);
  });
});
