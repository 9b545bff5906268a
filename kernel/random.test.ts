import { describe, expect, it } from "vitest";
import { Random } from "./random.ts";

describe("Random", () => {
  it("gives the same stream for the same seed and different streams for different seeds or forks", () => {
    const a = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.next()
      )(new Random(7)),
    );
    const b = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.next()
      )(new Random(7)),
    );
    const c = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.next()
      )(new Random(8)),
    );
    const d = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.next()
      )(new Random(7).fork("ops")),
    );
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).not.toEqual(d);
    for (const x of a) expect(x >= 0 && x < 1).toBe(true);
  });

  it("int stays in range and reaches both ends", () => {
    const r = new Random(1);
    const seen = new Set(Array.from({ length: 500 }, () => r.int(2, 4)));
    expect([...seen].sort()).toEqual([2, 3, 4]);
  });
});
