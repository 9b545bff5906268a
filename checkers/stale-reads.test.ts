import { describe, expect, it } from "vitest";
import { checkLinearizable } from "./linearizable/linearizable.ts";
import { casRegister } from "./linearizable/models/cas-register.ts";
import { checkStaleReads, staleReads } from "./stale-reads.ts";
import { history } from "./testing/history.ts";
import { randomRegisterHistory } from "./testing/random-register.ts";

const at = (node: string) => ({ node });

describe("stale-reads", () => {
  it("finds a read of a value overwritten before it began, naming the server that served it", () => {
    const h = history(
      [0, "invoke", "write", 1],
      [0, "ok", "write", 1, undefined, at("zk3")],
      [0, "invoke", "cas", [1, 2]],
      [0, "ok", "cas", [1, 2], undefined, at("zk3")],
      [1, "invoke", "read", null],
      [1, "ok", "read", 1, undefined, at("zk1")],
      [2, "invoke", "read", null],
      [2, "ok", "read", 2, undefined, at("zk2")],
    );
    const r = checkStaleReads(h);
    expect(r).toMatchObject({ valid: false, readsChecked: 2, staleCount: 1, staleByNode: { zk1: 1 } });
    expect((r.stale as unknown[])[0]).toMatchObject({
      index: 4,
      process: 1,
      node: "zk1",
      value: 1,
      overwrite: { index: 2, node: "zk3", value: 2 },
      source: { index: 0, node: "zk3" },
    });
    expect(checkLinearizable(h, casRegister(null)).valid).toBe(false);
  });

  it("reading the initial value after an acknowledged write is stale too", () => {
    const h = history(
      [0, "invoke", "write", 3],
      [0, "ok", "write", 3],
      [1, "invoke", "read", null],
      [1, "ok", "read", null],
    );
    expect(checkStaleReads(h)).toMatchObject({ valid: false, staleCount: 1 });
    expect((checkStaleReads(h).stale as { source?: unknown }[])[0]!.source).toBeUndefined();
  });

  it("keeps a read fresh when the overwrite was concurrent with it, or with a write of the value read", () => {
    const concurrentWithRead = history(
      ...([
        [0, "invoke", "write", 1],
        [0, "ok", "write", 1],
      ] as const),
      [1, "invoke", "read", null],
      [0, "invoke", "write", 2],
      [0, "ok", "write", 2],
      [1, "ok", "read", 1],
    );
    expect(checkStaleReads(concurrentWithRead).valid).toBe(true);
    const sourcesOverlap = history(
      [0, "invoke", "write", 1],
      [2, "invoke", "write", 2],
      [0, "ok", "write", 1],
      [2, "ok", "write", 2],
      [1, "invoke", "read", null],
      [1, "ok", "read", 1],
    );
    expect(checkStaleReads(sourcesOverlap).valid).toBe(true);
    expect(checkLinearizable(sourcesOverlap, casRegister(null)).valid).toBe(true);
  });

  it("an unknown write of the value may land late: the read stays fresh; a failed one never wrote", () => {
    const info = history(
      [0, "invoke", "write", 1],
      [0, "info", "write", 1],
      [2, "invoke", "write", 2],
      [2, "ok", "write", 2],
      [1, "invoke", "read", null],
      [1, "ok", "read", 1],
    );
    expect(checkStaleReads(info).valid).toBe(true);
    const failed = history(
      [0, "invoke", "write", 1],
      [0, "ok", "write", 1],
      [3, "invoke", "cas", [2, 1]],
      [3, "fail", "cas", [2, 1]],
      [2, "invoke", "write", 2],
      [2, "ok", "write", 2],
      [1, "invoke", "read", null],
      [1, "ok", "read", 1],
    );
    expect(checkStaleReads(failed)).toMatchObject({ valid: false, staleCount: 1 });
  });

  it("judges a later read of a value written again by its latest write", () => {
    const h = history(
      [0, "invoke", "write", 1],
      [0, "ok", "write", 1],
      [0, "invoke", "write", 2],
      [0, "ok", "write", 2],
      [0, "invoke", "write", 1],
      [0, "ok", "write", 1],
      [1, "invoke", "read", null],
      [1, "ok", "read", 1],
    );
    expect(checkStaleReads(h).valid).toBe(true);
  });

  it("finds nothing in linearizable histories (it only explains violations)", () => {
    for (let seed = 1; seed <= 30; seed++) {
      const h = randomRegisterHistory({ ops: 400, processes: 5, infoRate: 0.05, seed });
      expect(checkStaleReads(h).valid, `seed ${seed}`).toBe(true);
    }
  });

  it("is a Checker", async () => {
    expect((await staleReads().check([])).valid).toBe(true);
  });
});
