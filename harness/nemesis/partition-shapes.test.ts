import { describe, expect, it } from "vitest";
import { allNodes, proxyName } from "../../kernel/links.ts";
import { Random } from "../../kernel/random.ts";
import { grudgeLinks, grudgeOf, PARTITION_SHAPES, planPartition, shapeFits } from "./partition-shapes.ts";

describe("partition shapes", () => {
  it("fit the node counts they mean something for", () => {
    expect(shapeFits("majorities-ring", 5)).toBe(true);
    expect(shapeFits("majorities-ring", 4)).toBe(true);
    expect(shapeFits("majorities-ring", 3)).toBe(false);
    expect(shapeFits("bridge", 3)).toBe(true);
    for (const shape of PARTITION_SHAPES) expect(shapeFits(shape, 1)).toBe(false);
  });

  it("grudges are symmetric and never name the node itself", () => {
    for (const n of [3, 4, 5])
      for (const shape of PARTITION_SHAPES.filter((s) => shapeFits(s, n)))
        for (let seed = 0; seed < 20; seed++) {
          const plan = planPartition(shape, allNodes(n), new Random(seed), "zk1");
          for (const [a, hated] of Object.entries(plan.grudge)) {
            expect(hated).not.toContain(a);
            for (const b of hated) expect(plan.grudge[b]).toContain(a);
          }
        }
  });

  it("a grudge from overlapping groups spares the shared node", () => {
    const grudge = grudgeOf(allNodes(5), [
      ["zk1", "zk2", "zk3"],
      ["zk3", "zk4", "zk5"],
    ]);
    expect(grudge).toEqual({
      zk1: ["zk4", "zk5"],
      zk2: ["zk4", "zk5"],
      zk4: ["zk1", "zk2"],
      zk5: ["zk1", "zk2"],
    });
    const cut = grudgeLinks(grudge).map(proxyName);
    expect(new Set(cut).size).toBe(cut.length);
    expect(cut).toHaveLength(16);
    expect(cut.some((p) => p.includes("zk3"))).toBe(false);
  });

  it("4-node majorities-ring: each node sees three and loses its opposite", () => {
    const plan = planPartition("majorities-ring", allNodes(4), new Random(3));
    for (const view of Object.values(plan.views!)) expect(view).toHaveLength(3);
    for (const hated of Object.values(plan.grudge)) expect(hated).toHaveLength(1);
  });

  it("halves: a minority against a majority on odd ensembles, 2|2 on four nodes", () => {
    for (const [n, sizes] of [
      [3, [1, 2]],
      [4, [2, 2]],
      [5, [2, 3]],
    ] as const) {
      const plan = planPartition("halves", allNodes(n), new Random(n));
      expect(plan.groups!.map((g) => g.length)).toEqual(sizes);
    }
  });
});
