import { describe, expect, it } from "vitest";
import { Random } from "./random.ts";

describe("Random", () => {
  it("repeats a stream for the same parts and differs for others", () => {
    const draw = (r: Random): number[] => Array.from({ length: 20 }, () => r.next());
    expect(draw(Random.derive(1, "zk1", 0, "upstream", "lag"))).toEqual(
      draw(Random.derive(1, "zk1", 0, "upstream", "lag")),
    );
    expect(draw(Random.derive(1, "zk1", 0, "upstream", "lag"))).not.toEqual(
      draw(Random.derive(1, "zk1", 1, "upstream", "lag")),
    );
    expect(draw(Random.derive(1, "zk1", 0))).not.toEqual(draw(Random.derive(2, "zk1", 0)));
  });

  it("draws uniformly from [0, 1) and integers from [0, n)", () => {
    const r = new Random(123);
    const buckets = new Array<number>(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = r.next();
      if (x < 0 || x >= 1) outside++;
      else buckets[Math.floor(x * 10)] = (buckets[Math.floor(x * 10)] ?? 0) + 1;
    }
    expect(outside).toBe(0);
    for (const count of buckets) expect(Math.abs(count - 10_000)).toBeLessThan(500);
    const ints = new Set(Array.from({ length: 1000 }, () => r.int(7)));
    expect([...ints].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(r.int(0)).toBe(0);
  });
});
