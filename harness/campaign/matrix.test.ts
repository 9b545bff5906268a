import { describe, expect, it } from "vitest";
import { BadInputError } from "../../kernel/errors.ts";
import { expandMatrix, nemesisLabel, parseNemeses, runClass } from "./matrix.ts";

const expand = (o: {
  workloads?: string;
  variants?: string;
  nemeses?: string;
  zkVersions?: string;
  seeds?: number;
}) => expandMatrix({ seeds: 1, firstSeed: 100, ...o });

describe("expandMatrix", () => {
  it("a ZooKeeper line is an axis inside the nemesis, around the seeds; 3.8 when none is named", () => {
    expect(expand({}).map((r) => r.zkVersion)).toEqual(["3.8", "3.8", "3.8", "3.8"]); // lock's four variants
    const runs = expand({ variants: "fenced", zkVersions: "3.4, 3.9,3.4", seeds: 2 });
    expect(runs.map((r) => `${r.zkVersion} ${r.seed}`)).toEqual(["3.4 100", "3.4 101", "3.9 100", "3.9 101"]);
    expect(() => expand({ zkVersions: "3.4,3.10" })).toThrow(BadInputError);
    expect(() => expand({ zkVersions: "3.4,3.10" })).toThrow(
      "--zk-versions: no ZooKeeper line '3.10' (known: 3.4, 3.8, 3.9)",
    );
    expect(() => expand({ zkVersions: "" })).toThrow(/no ZooKeeper line ''/);
  });

  it("defaults: lock, each of its variants, partition, one seed", () => {
    const runs = expand({});
    expect(runs.map((r) => [runClass(r), nemesisLabel(r), r.seed])).toEqual([
      ["lock.naive", "partition", 100],
      ["lock.aware", "partition", 100],
      ["lock.fenced", "partition", 100],
      ["lock.persistent", "partition", 100],
    ]);
  });

  it("workload → variant → nemesis → seed, indexed from 1, seeds first..first+N-1", () => {
    const runs = expand({
      workloads: "lock,election",
      variants: "lock.naive,lock.fenced,election.naive",
      nemeses: "partition,partition+client-pause",
      seeds: 2,
    });
    expect(runs).toHaveLength(3 * 2 * 2);
    expect(runs.map((r) => r.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(runs.slice(0, 4).map((r) => `${runClass(r)} ${nemesisLabel(r)} ${r.seed}`)).toEqual([
      "lock.naive partition 100",
      "lock.naive partition 101",
      "lock.naive partition+client-pause 100",
      "lock.naive partition+client-pause 101",
    ]);
    expect(runs[2]!.nemesis).toEqual(["partition", "client-pause"]);
    expect(runs.at(-1)).toMatchObject({ workload: "election", variant: "naive", seed: 101 });
  });

  it("a plain variant applies to every listed workload that has it", () => {
    const runs = expand({ workloads: "lock,election,queue", variants: "naive,fenced" });
    expect([...new Set(runs.map(runClass))]).toEqual([
      "lock.naive",
      "lock.fenced",
      "election.naive",
      "election.fenced",
      "queue.naive",
    ]);
  });

  it.each([
    [{ workloads: "lock,nope" }, /unknown workload 'nope'/],
    [{ workloads: "lock", variants: "lock.nope" }, /lock has no variant 'nope'/],
    [{ workloads: "lock", variants: "election.naive" }, /election is not in --workloads/],
    [{ workloads: "lock", variants: "sync" }, /no workload in --workloads has the variant 'sync'/],
    [{ workloads: "lock,register", variants: "naive" }, /register has none of the listed variants/],
    [{ nemeses: "partition,flood" }, /unknown nemesis 'flood'/],
    [{ nemeses: "partition+bogus" }, /unknown nemesis 'bogus'/],
    [{ nemeses: "none+kill" }, /'none' cannot be composed/],
    [{ nemeses: "kill+kill" }, /appears twice/],
    [{ workloads: "lock,," }, /empty entry/],
  ])("%o: one BadInputError line", (o, message) => {
    let err: unknown;
    try {
      expand(o);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain("\n");
  });

  it("refuses seeds past 2^31-1", () => {
    expect(() => expandMatrix({ seeds: 3, firstSeed: 2 ** 31 - 2 })).toThrow(BadInputError);
  });

  it("parseNemeses keeps entries in order and drops repeats", () => {
    expect(parseNemeses("kill, pause+latency ,kill")).toEqual([["kill"], ["pause", "latency"]]);
  });
});
