/**
 * Test time: nanoseconds since the test started, from process.hrtime.bigint() — CLOCK_MONOTONIC, one clock
 * for every process on the host, so workers and the harness agree.
 */
export interface Clock {
  /** Nanoseconds since the test's origin. */
  now(): number;
  /** The origin, absolute hrtime nanoseconds (passed to worker processes). */
  readonly origin: bigint;
}

export function monotonicClock(origin: bigint = process.hrtime.bigint()): Clock {
  return { origin, now: () => Number(process.hrtime.bigint() - origin) };
}
