/**
 * A run's own health: how busy the harness and its host were while the run recorded, so a reader can tell
 * a slow machine from a slow ensemble. The summary is results.json's `health`; the report words it.
 */
import { cpus, loadavg } from "node:os";
import { monitorEventLoopDelay, performance, type EventLoopUtilization } from "node:perf_hooks";

export interface RunHealth {
  /** How long the monitor watched, seconds. */
  readonly seconds: number;
  /** How late the harness's event loop ran its timers, ms. */
  readonly eventLoopDelayMs: { readonly max: number; readonly p99: number; readonly mean: number };
  /** Fraction of the time the harness's event loop was busy, 0..1. */
  readonly eventLoopUtilization: number;
  /** The host's 1-minute load average, sampled about once a second, and the host's CPUs. */
  readonly load: {
    readonly mean: number;
    readonly max: number;
    readonly samples: number;
    readonly cpus: number;
  };
  /** The harness process's CPU time (worker processes not included); percent of one core. */
  readonly harnessCpu: { readonly userS: number; readonly systemS: number; readonly percent: number };
  /**
   * Paced op dispatches (`paced`), how many woke more than `thresholdMs` after their slot (`behind`) and
   * the worst lag. Only dispatches that waited for their slot count: a client that comes late because its
   * last op was slow is the ensemble's doing, a timer that fires late is the host's.
   */
  readonly pacer: {
    readonly paced: number;
    readonly behind: number;
    readonly worstLagMs: number;
    readonly thresholdMs: number;
  };
}

/** Pacer lags tallied as they come (one per paced op: too many to keep). */
export interface PacerTally {
  paced: number;
  behind: number;
  worstLagMs: number;
}

export function notePacerLag(t: PacerTally, lagMs: number, thresholdMs: number): void {
  t.paced++;
  if (lagMs > thresholdMs) t.behind++;
  if (lagMs > t.worstLagMs) t.worstLagMs = lagMs;
}

/** The readings of an event-loop delay histogram that the summary uses (node's IntervalHistogram has them). */
export interface DelayHistogram {
  readonly count: number;
  readonly max: number;
  readonly mean: number;
  percentile(p: number): number;
}

/**
 * Node's histogram records the whole interval between its timer's runs, in ns, resolution included: the
 * delay is what exceeds the resolution.
 */
export function loopDelayMs(h: DelayHistogram, resolutionMs: number): RunHealth["eventLoopDelayMs"] {
  if (h.count === 0) return { max: 0, p99: 0, mean: 0 };
  const delay = (ns: number) => round(Math.max(0, ns / 1e6 - resolutionMs), 1);
  return { max: delay(h.max), p99: delay(h.percentile(99)), mean: delay(h.mean) };
}

/** What the monitor gathered, for `summarizeHealth`. */
export interface HealthSamples {
  readonly durationMs: number;
  /** 1-minute load averages. */
  readonly loads: readonly number[];
  readonly cpus: number;
  /** CPU time over the watch, µs (process.cpuUsage's units). */
  readonly cpuMicros: { readonly user: number; readonly system: number };
  readonly eventLoopDelayMs: RunHealth["eventLoopDelayMs"];
  readonly eventLoopUtilization: number;
  readonly pacer: PacerTally;
  readonly pacerThresholdMs: number;
}

export function summarizeHealth(s: HealthSamples): RunHealth {
  const loads = s.loads.filter((l) => Number.isFinite(l) && l >= 0);
  const sum = loads.reduce((a, l) => a + l, 0);
  const cpuS = (s.cpuMicros.user + s.cpuMicros.system) / 1e6;
  const seconds = Math.max(0, s.durationMs) / 1000;
  return {
    seconds: round(seconds, 1),
    eventLoopDelayMs: s.eventLoopDelayMs,
    eventLoopUtilization: round(clamp01(s.eventLoopUtilization), 3),
    load: {
      mean: round(loads.length ? sum / loads.length : 0, 2),
      max: round(
        loads.reduce((a, l) => Math.max(a, l), 0),
        2,
      ),
      samples: loads.length,
      cpus: Math.max(1, s.cpus),
    },
    harnessCpu: {
      userS: round(s.cpuMicros.user / 1e6, 2),
      systemS: round(s.cpuMicros.system / 1e6, 2),
      percent: round(seconds > 0 ? (100 * cpuS) / seconds : 0, 1),
    },
    pacer: {
      paced: s.pacer.paced,
      behind: s.pacer.behind,
      worstLagMs: round(s.pacer.worstLagMs, 1),
      thresholdMs: s.pacerThresholdMs,
    },
  };
}

export interface RunHealthOptions {
  /** How often the load average is sampled (ms). */
  sampleEveryMs?: number;
  /** A paced dispatch later than this (ms) counts as the pacer falling behind. */
  pacerThresholdMs?: number;
}

const RESOLUTION_MS = 10;

/** Watches this process and the host from `start` to `stop`; `summary` says what it saw. */
export class RunHealthMonitor {
  private readonly sampleEveryMs: number;
  private readonly thresholdMs: number;
  private readonly histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private readonly loads: number[] = [];
  private readonly pacer: PacerTally = { paced: 0, behind: 0, worstLagMs: 0 };
  private timer: NodeJS.Timeout | undefined;
  private started: { at: number; cpu: NodeJS.CpuUsage; elu: EventLoopUtilization } | undefined;
  private result: RunHealth | undefined;

  constructor(opts: RunHealthOptions = {}) {
    this.sampleEveryMs = opts.sampleEveryMs ?? 1000;
    this.thresholdMs = opts.pacerThresholdMs ?? 50;
  }

  start(): this {
    if (this.started || this.result) return this;
    this.started = {
      at: performance.now(),
      cpu: process.cpuUsage(),
      elu: performance.eventLoopUtilization(),
    };
    this.histogram.enable();
    this.sampleLoad();
    this.timer = setInterval(() => this.sampleLoad(), this.sampleEveryMs);
    this.timer.unref(); // never what keeps a finished run's process alive
    return this;
  }

  /** How late (ms) a paced op's dispatch came after its slot. */
  pacerLag(lagMs: number): void {
    notePacerLag(this.pacer, lagMs, this.thresholdMs);
  }

  /** Stop watching (again: nothing). */
  stop(): void {
    if (!this.started || this.result) return;
    clearInterval(this.timer);
    this.histogram.disable();
    this.sampleLoad();
    const { at, cpu, elu } = this.started;
    this.result = summarizeHealth({
      durationMs: performance.now() - at,
      loads: this.loads,
      cpus: cpus().length,
      cpuMicros: process.cpuUsage(cpu),
      eventLoopDelayMs: loopDelayMs(this.histogram, RESOLUTION_MS),
      eventLoopUtilization: performance.eventLoopUtilization(elu).utilization,
      pacer: this.pacer,
      pacerThresholdMs: this.thresholdMs,
    });
  }

  /** What it saw from start to stop (stops it first); null if it never started. */
  summary(): RunHealth | null {
    this.stop();
    return this.result ?? null;
  }

  private sampleLoad(): void {
    this.loads.push(loadavg()[0] ?? 0);
  }
}

const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

const clamp01 = (x: number): number => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);
