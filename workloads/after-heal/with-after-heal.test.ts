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
    const bare = withAfterHeal({ ...plain, finalOps: undefined }, { ephemerals: ["/x"] });
    expect(bare.finalOps!(0, 1).map((op) => op.f)).toEqual([PROBE_F]);
  });

  it("without ephemeral roots: the checker, and no probe to wait for", () => {
    const w = withAfterHeal(plain, { progress: ["get"] });
    expect([...w.reads]).toEqual(["get"]);
    expect(w.finalOps!(0, 1).map((op) => op.f)).toEqual(["get"]);
    expect(w.checkers("a", []).map((c) => c.name)).toEqual(["after-heal"]);
  });

  it("every built-in is judged by after-heal; those whose clients own ephemerals end with the probe", () => {
    const probed = ["lock", "election", "exporter"];
    for (const w of workloadNames().map(workloadByName)) {
      expect(w.finalOps!(0, 3).at(-1)!.f === PROBE_F, w.name).toBe(probed.includes(w.name));
      expect(w.reads.has(PROBE_F), w.name).toBe(probed.includes(w.name));
      for (const v of w.variants) expect(w.checkers(v, []).at(-1)!.name, `${w.name} ${v}`).toBe("after-heal");
    }
  });
});
