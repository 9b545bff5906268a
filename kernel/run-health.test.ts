import { describe, expect, it } from "vitest";
import {
  loopDelayMs,
  notePacerLag,
  RunHealthMonitor,
  summarizeHealth,
  type HealthSamples,
  type PacerTally,
} from "./run-health.ts";

const samples = (over: Partial<HealthSamples> = {}): HealthSamples => ({
  durationMs: 10_000,
  loads: [1, 2, 3.4, 1.2],
  cpus: 2,
  cpuMicros: { user: 1_500_000, system: 500_000 },
  eventLoopDelayMs: { max: 85, p99: 12, mean: 1.5 },
  eventLoopUtilization: 0.25,
  pacer: { paced: 400, behind: 3, worstLagMs: 420.26 },
  pacerThresholdMs: 50,
  ...over,
});

describe("summarizeHealth", () => {
  it("gives the load's mean and max over the samples, the CPUs, and the harness's CPU share", () => {
    expect(summarizeHealth(samples())).toEqual({
      seconds: 10,
      eventLoopDelayMs: { max: 85, p99: 12, mean: 1.5 },
      eventLoopUtilization: 0.25,
      load: { mean: 1.9, max: 3.4, samples: 4, cpus: 2 },
      // 2 s of CPU over 10 s: a fifth of one core
      harnessCpu: { userS: 1.5, systemS: 0.5, percent: 20 },
      pacer: { paced: 400, behind: 3, worstLagMs: 420.3, thresholdMs: 50 },
    });
  });

  it("stays well-formed with no samples and no time (a run aborted at once)", () => {
    const h = summarizeHealth(
      samples({ durationMs: 0, loads: [], cpus: 0, cpuMicros: { user: 0, system: 0 } }),
    );
    expect(h.load).toEqual({ mean: 0, max: 0, samples: 0, cpus: 1 });
    expect(h.harnessCpu.percent).toBe(0);
    expect(h.seconds).toBe(0);
  });

  it("skips unusable load readings and keeps utilization within 0..1", () => {
    const h = summarizeHealth(samples({ loads: [Number.NaN, 2, -1, 4], eventLoopUtilization: 1.2 }));
    expect(h.load).toMatchObject({ mean: 3, max: 4, samples: 2 });
    expect(h.eventLoopUtilization).toBe(1);
  });
});

describe("notePacerLag", () => {
  it("counts every paced dispatch, those later than the threshold, and the worst lag", () => {
    const t: PacerTally = { paced: 0, behind: 0, worstLagMs: 0 };
    for (const lag of [0.3, 12, 50, 51, 420, 3]) notePacerLag(t, lag, 50);
    expect(t).toEqual({ paced: 6, behind: 2, worstLagMs: 420 });
  });
});

describe("loopDelayMs", () => {
  const hist = (values: number[]) => ({
    count: values.length,
    max: Math.max(...values),
    mean: values.reduce((a, v) => a + v, 0) / values.length,
    percentile: (p: number) => [...values].sort((a, b) => a - b)[Math.ceil((p / 100) * values.length) - 1]!,
  });

  it("takes the resolution off node's intervals and reads ms", () => {
    // ns intervals of a 10 ms timer: on time, 2 ms late, 95 ms late
    expect(loopDelayMs(hist([10e6, 12e6, 105e6, 10e6]), 10)).toEqual({ max: 95, p99: 95, mean: 24.3 });
  });

  it("never goes below zero (a timer that ran early) and is zero with no readings", () => {
    expect(loopDelayMs(hist([9.5e6]), 10)).toEqual({ max: 0, p99: 0, mean: 0 });
    expect(loopDelayMs({ count: 0, max: 0, mean: Number.NaN, percentile: () => 0 }, 10)).toEqual({
      max: 0,
      p99: 0,
      mean: 0,
    });
  });
});

describe("RunHealthMonitor", () => {
  it("summarizes what it watched, with the pacer lags it was told", async () => {
    const m = new RunHealthMonitor({ sampleEveryMs: 5, pacerThresholdMs: 50 }).start();
    m.pacerLag(10);
    m.pacerLag(80);
    await new Promise((r) => setTimeout(r, 30));
    const h = m.summary()!;
    expect(h.pacer).toEqual({ paced: 2, behind: 1, worstLagMs: 80, thresholdMs: 50 });
    expect(h.load.samples).toBeGreaterThanOrEqual(2); // at start and at stop
    expect(h.load.cpus).toBeGreaterThanOrEqual(1);
    expect(h.load.max).toBeGreaterThanOrEqual(h.load.mean);
    expect(h.seconds).toBeGreaterThanOrEqual(0);
    for (const v of Object.values(h.eventLoopDelayMs)) expect(v).toBeGreaterThanOrEqual(0);
    expect(h.eventLoopUtilization).toBeGreaterThanOrEqual(0);
    expect(h.eventLoopUtilization).toBeLessThanOrEqual(1);
    // Stopped: later lags and calls change nothing.
    m.pacerLag(500);
    expect(m.summary()).toEqual(h);
  });

  it("has no summary when it never started", () => {
    expect(new RunHealthMonitor().summary()).toBeNull();
  });
});
