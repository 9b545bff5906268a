import { describe, expect, it } from "vitest";
import { PROBE_F } from "../../checkers/after-heal.ts";
import { workloadByName, workloadNames } from "../index.ts";
import type { Workload } from "../workload.ts";
import { withAfterHeal } from "./with-after-heal.ts";

const plain: Workload = {
  name: "plain",
  variants: ["a"],
  clientModule: "/nowhere.ts",
  reads: new Set(["get"]),
  nextOp: () => ({ f: "get", value: null }),
  finalOps: () => [{ f: "get", value: null }],
  checkers: () => [],
};

describe("withAfterHeal", () => {
  it("runs the probe last in the final phase, as a read, and adds the after-heal checker last", () => {
    const w = withAfterHeal(plain, { progress: ["get"], ephemerals: ["/x"] });
    expect([...w.reads].sort()).toEqual(["get", PROBE_F].sort());
    expect(w.finalOps!(0, 1).map((op) => op.f)).toEqual(["get", PROBE_F]);
    expect(w.checkers("a", []).map((c) => c.name)).toEqual(["after-heal"]);
    const bare = withAfterHeal({ ...plain, finalOps: undefined }, {});
    expect(bare.finalOps!(0, 1).map((op) => op.f)).toEqual([PROBE_F]);
  });

  it("every built-in ends its final phase with the probe and is judged by after-heal", () => {
    for (const w of workloadNames().map(workloadByName)) {
      expect(w.finalOps!(0, 3).at(-1)!.f, w.name).toBe(PROBE_F);
      expect(w.reads.has(PROBE_F), w.name).toBe(true);
      for (const v of w.variants) expect(w.checkers(v, []).at(-1)!.name, `${w.name} ${v}`).toBe("after-heal");
    }
  });
});
