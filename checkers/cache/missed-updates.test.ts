import { describe, expect, it } from "vitest";
import { checkMissedUpdates } from "./missed-updates.ts";
import { CacheHistoryBuilder, data } from "./testing/cache-history.ts";

describe("missed-updates", () => {
  it("valid: copies hold every write acknowledged more than the bound (1 s) before they were asked for", () => {
    const h = new CacheHistoryBuilder()
      .put(1, 1, "a", 5, 5)
      .read(0, 1.5, {}) // within the bound: may lag
      .read(0, 2.5, { a: [5, 5] })
      .put(1, 3, "a", 5, 8)
      .read(0, 4.5, { a: [5, 8] });
    expect(checkMissedUpdates(h.ops)).toMatchObject({
      valid: true,
      acknowledgedWrites: 2,
      copiesChecked: 3,
      missedCount: 0,
    });
  });

  it("invalid: a write missed past the bound, with when it was made and when the client learned of it", () => {
    const h = new CacheHistoryBuilder()
      .put(1, 1, "a", 5, 5)
      .read(0, 2.5, { a: [5, 5] })
      .put(1, 3, "a", 5, 8)
      .read(0, 4.5, { a: [5, 5] }, [data(6, "s2", "a", 5, 9)])
      .read(0, 6.5, { a: [5, 9] });
    const r = checkMissedUpdates(h.ops);
    expect(r).toMatchObject({ valid: false, missedCount: 1, neverLearnedCount: 0 });
    expect(r.missed).toEqual([
      expect.objectContaining({
        slot: 0,
        key: "a",
        f: "put",
        version: "5/8",
        madeAt: 3.01e9,
        madeBy: 1,
        staleAt: 4.5e9,
        learnedAt: 6e9,
      }),
    ]);
  });

  it("a delete: the copy must drop that incarnation; a later one is fine, and a key absent from the copy is explained by a delete", () => {
    const stale = new CacheHistoryBuilder()
      .put(1, 1, "a", 5, 5)
      .delete(1, 2, "a", 5)
      .read(0, 4, { a: [5, 5] });
    expect(checkMissedUpdates(stale.ops)).toMatchObject({
      valid: false,
      missed: [expect.objectContaining({ f: "delete", version: "5/deleted", learnedAt: null })],
    });
    const fresh = new CacheHistoryBuilder()
      .put(1, 1, "a", 5, 5)
      .delete(1, 2, "a", 5)
      .read(0, 4, {})
      .put(1, 5, "a", 9, 9)
      .read(0, 7, { a: [9, 9] });
    expect(checkMissedUpdates(fresh.ops).valid).toBe(true);
    const gone = new CacheHistoryBuilder().put(1, 1, "a", 5, 5).delete(2, 3.5, "a", 5, "info").read(0, 4, {});
    expect(checkMissedUpdates(gone.ops).valid).toBe(true);
  });

  it("ignores writes it cannot place (no zxid, or not acknowledged)", () => {
    const h = new CacheHistoryBuilder().put(1, 1, "a", 5, 5, "info").read(0, 4, {});
    expect(checkMissedUpdates(h.ops)).toMatchObject({ valid: true, acknowledgedWrites: 0 });
  });
});
