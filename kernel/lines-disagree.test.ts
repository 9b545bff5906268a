import { describe, expect, it } from "vitest";
import { linesDisagree } from "./lines-disagree.ts";

describe("ZooKeeper lines disagreeing on a cell", () => {
  it("differ when the kinds of verdict differ, not their counts or order", () => {
    expect(linesDisagree([["invalid", "valid"], ["valid"]])).toBe(true);
    expect(
      linesDisagree([
        ["invalid", "valid", "valid"],
        ["valid", "invalid", "invalid"],
      ]),
    ).toBe(false);
    expect(linesDisagree([["valid"], ["valid"], ["unknown"]])).toBe(true);
  });

  it("a line with no run in the cell is no evidence", () => {
    expect(linesDisagree([["invalid"], []])).toBe(false);
    expect(linesDisagree([[], []])).toBe(false);
  });
});
