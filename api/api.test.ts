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
