import { describe, expect, it } from "vitest";
import { checkCacheConvergence } from "./cache-convergence.ts";
import { CacheHistoryBuilder } from "./testing/cache-history.ts";

describe("cache-convergence", () => {
  it("valid when every client's final copy equals its sync + read", () => {
    const h = new CacheHistoryBuilder()
      .put(1, 1, "a", 5, 5)
      .phase("final", 2)
      .final(0, 3, { a: [5, 5] }, { a: [5, 5] })
      .final(1, 3, { a: [5, 5] }, { a: [5, 5] })
      .phase("done", 4);
    expect(checkCacheConvergence(h.ops)).toMatchObject({ valid: true, clients: 2, convergedClients: 2 });
  });

  it("invalid: a copy behind the truth and one holding a deleted node, with the writes that made the truth", () => {
    const h = new CacheHistoryBuilder()
      .put(1, 1, "a", 5, 8)
      .delete(1, 1.5, "b", 6)
      .final(0, 3, { a: [5, 5], b: [6, 6] }, { a: [5, 8] })
      .final(1, 3, { a: [5, 8] }, { a: [5, 8] });
    const r = checkCacheConvergence(h.ops);
    expect(r).toMatchObject({ valid: false, convergedClients: 1, divergedCount: 2 });
    expect(r.diverged).toEqual([
      expect.objectContaining({ slot: 0, key: "a", copy: "5/5", truth: "5/8", madeIndex: 1 }),
      expect.objectContaining({ slot: 0, key: "b", copy: "6/6", truth: null, madeIndex: 3 }),
    ]);
  });

  it("unknown when a client reported no final copy; says so when the history was cut", () => {
    const h = new CacheHistoryBuilder().read(0, 1, {}).final(1, 3, {}, {});
    expect(checkCacheConvergence(h.ops)).toMatchObject({ valid: "unknown", withoutFinal: [0] });
    const cut = new CacheHistoryBuilder().phase("main", 0).read(0, 1, {});
    expect(checkCacheConvergence(cut.ops)).toMatchObject({
      valid: "unknown",
      cut: "the final phase never ran",
    });
  });
});
