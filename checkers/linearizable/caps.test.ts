/**
 * Bounded checking: a search past its memory or time cap answers "unknown" with the reason, quickly, instead
 * of dying of an out-of-memory crash; the default cap follows the heap limit; a 100k-op history is checked.
 */
import { getHeapStatistics } from "node:v8";
import { describe, expect, it } from "vitest";
import { checkHistory } from "../check-history.ts";
import { pathological } from "../testing/pathological.ts";
import { randomRegisterHistory } from "../testing/random-register.ts";
import { ADDED, ConfigCache, FULL } from "./config-cache.ts";
import { checkLinearizable, DEFAULT_MAX_MEMORY, defaultMaxMemory } from "./linearizable.ts";
import { casRegister } from "./models/cas-register.ts";

describe("memory cap", () => {
  it("many concurrent info writes with a 1 MiB cap: unknown (memory)", () => {
    const r = checkLinearizable(pathological(40, 100), casRegister(), { maxMemoryBytes: 2 ** 20 });
    expect(r).toMatchObject({ valid: "unknown", reason: "memory" });
  });

  it("a time cap gives unknown (timeout) through checkHistory", async () => {
    const r = await checkHistory(pathological(40, 100), { format: "jsonl", clock: "time", timeoutMs: 100 });
    expect(r.valid).toBe("unknown");
    expect(r.checkers.linearizable).toMatchObject({
      valid: "unknown",
      reason: expect.stringMatching(/timeout|memory/),
    });
  });

  it("the default cap is a quarter of the heap limit, between 64 MiB and 1 GiB", () => {
    const d = defaultMaxMemory();
    expect(d).toBeGreaterThanOrEqual(64 * 2 ** 20);
    expect(d).toBeLessThanOrEqual(DEFAULT_MAX_MEMORY);
    expect(d).toBeLessThanOrEqual(Math.max(64 * 2 ** 20, getHeapStatistics().heap_size_limit / 4));
  });

  it("the configuration cache never grows past its byte budget", () => {
    const budget = 256 * 1024;
    const cache = new ConfigCache(budget);
    const key = new Int32Array(200);
    let full = false;
    for (let i = 0; i < 10_000 && !full; i++) {
      key[0] = i;
      const r = cache.add(i * 2654435761, 0, key, 200);
      if (r === FULL) full = true;
      else expect(r).toBe(ADDED);
      expect(cache.bytes).toBeLessThanOrEqual(budget);
    }
    expect(full).toBe(true);
  });
});

describe("a 100k-op history", () => {
  it("checks within bounds and gives a verdict", async () => {
    const h = randomRegisterHistory({ ops: 100_000, processes: 5, seed: 3 });
    expect(h.length).toBe(200_000);
    const r = await checkHistory(h, {
      format: "jsonl",
      clock: "time",
      workload: "register",
      timeoutMs: 15_000,
    });
    expect([true, "unknown"]).toContain(r.valid); // linearizable by construction: never false
    expect(r.checkers.linearizable).toMatchObject({ model: "cas-register" });
    expect(r.stats).toMatchObject({ valid: true });
  }, 30_000);
});
