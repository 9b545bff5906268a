import { describe, expect, it } from "vitest";
import { Pacer } from "./pacer.ts";

/** A pacer on a fake clock whose sleeps overshoot by `late()` ms; what it slept and reported. */
function fakePacer(rate: number, late: () => number = () => 0) {
  let t = 1000;
  const slept: number[] = [];
  const lags: number[] = [];
  const pacer = new Pacer(rate, {
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms + late();
    },
    onLag: (ms) => lags.push(ms),
  });
  return { pacer, slept, lags, advance: (ms: number) => void (t += ms) };
}

describe("Pacer lag", () => {
  it("reports no lag when every sleep wakes on its slot", async () => {
    const p = fakePacer(100);
    for (let i = 0; i < 3; i++) await p.pacer.next();
    expect(p.slept).toEqual([10, 10, 10]);
    expect(p.lags).toEqual([0, 0, 0]);
  });

  it("reports how far past its slot a dispatch woke", async () => {
    const overshoot = [0, 420, 3];
    const p = fakePacer(100, () => overshoot.shift() ?? 0);
    await p.pacer.next();
    await p.pacer.next();
    expect(p.lags).toEqual([0, 420]);
  });

  it("says nothing about a caller that came after its slot (a slow op, not a slow host)", async () => {
    const p = fakePacer(100);
    await p.pacer.next();
    p.advance(500);
    await p.pacer.next();
    expect(p.slept).toEqual([10]);
    expect(p.lags).toEqual([0]);
  });

  it("paces nothing and reports nothing without a rate", async () => {
    const p = fakePacer(0);
    await p.pacer.next();
    expect(p.slept).toEqual([]);
    expect(p.lags).toEqual([]);
  });
});
