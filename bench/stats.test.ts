import { describe, expect, it } from "vitest";
import { median, percentile } from "./stats.ts";

describe("bench figures", () => {
  it("median: the middle sample, or the mean of the two middle ones, in any order", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });

  it("percentile: nearest rank, the maximum at 1, unsorted input left as it was", () => {
    const xs = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];
    expect(percentile(xs, 0.9)).toBe(9);
    expect(percentile(xs, 0.5)).toBe(5);
    expect(percentile(xs, 1)).toBe(10);
    expect(percentile(xs, 0)).toBe(1);
    expect(xs[0]).toBe(10);
    expect(percentile([], 0.9)).toBeNaN();
  });
});
