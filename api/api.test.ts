import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as entry from "./index.js";
import * as publicApi from "./public.ts";

describe("the public entry", () => {
  it("exports every value of the public API, and nothing else", () => {
    expect(Object.keys(entry).sort()).toEqual(Object.keys(publicApi).sort());
    expect(entry.runTest).toBe(publicApi.runTest);
  });

  it("is what the package name resolves to", async () => {
    const self = await import("zk-chaos");
    expect(self.defineWorkload).toBe(publicApi.defineWorkload);
    expect(publicApi.checkers.names).toContain("lock-safety");
  });
});

describe("the README", () => {
  it("documents exactly the values the public API exports", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const section = readme.slice(readme.indexOf("## Public API"), readme.indexOf("## Bring your own recipe"));
    const documented = [...section.matchAll(/^\| `(\w+)`/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(publicApi).sort());
  });
});
