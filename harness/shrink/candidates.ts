/**
 * The smaller specs shrink tries, one dimension at a time, smallest first: which faults (one entry of a
 * list that takes turns, one part of a composed entry), how many faults, how long the run, how many
 * clients, how long each fault is held. The first candidate of a dimension that still reproduces is
 * kept, so the search costs a few runs per dimension, not the product of them.
 */
import { DEFAULT_PAUSE_SESSION_TIMEOUTS } from "../nemesis/client-pause.ts";
import { parseNemesisEntry } from "../nemesis/nemesis-syntax.ts";
import { FIRST_FAULT_S } from "../runner/phases.ts";
import type { TestSpec } from "../runner/test-spec.ts";

export type ShrinkSpec = Pick<
  TestSpec,
  "nemesis" | "timeLimit" | "clients" | "nemesisInterval" | "faults" | "sessionTimeoutMs"
>;

export interface Dimension {
  /** What shrinking this dimension means, for the log and the summary. */
  readonly name: "faults kept" | "fault count" | "time limit" | "clients" | "fault interval";
  /** Smaller specs to try, smallest first; each is the current spec with one field changed. */
  candidates(spec: ShrinkSpec): ShrinkSpec[];
}

/** Values below `current` from `ladder`, ascending. */
const below = (ladder: readonly number[], current: number): number[] =>
  [...new Set(ladder.filter((v) => v < current))].sort((a, b) => a - b);

/** How many fault steps fit in the main phase at most: the first at FIRST_FAULT_S, then one per two intervals (quiet, held). */
export const faultCapacity = (s: ShrinkSpec): number =>
  s.faults ?? 1 + Math.max(0, Math.floor((s.timeLimit - FIRST_FAULT_S) / (2 * s.nemesisInterval)));

/** Seconds a run needs for `faults` faults to start and be held (a fault is held its interval, or a client pause its default length). */
const secondsFor = (s: ShrinkSpec, faults: number): number =>
  FIRST_FAULT_S +
  (faults - 1) * 2 * s.nemesisInterval +
  Math.max(s.nemesisInterval, (DEFAULT_PAUSE_SESSION_TIMEOUTS * s.sessionTimeoutMs) / 1000);

export const DIMENSIONS: readonly Dimension[] = [
  {
    name: "faults kept",
    candidates(s) {
      // `a,b` → `a` or `b`; `a+b` → `a` or `b`: the fault that matters, alone.
      if (s.nemesis.length > 1) return s.nemesis.map((entry) => ({ ...s, nemesis: [entry] }));
      const parts = parseNemesisEntry(s.nemesis[0]!).map((p) => p.text);
      if (parts.length < 2) return [];
      return parts.map((_, i) => ({ ...s, nemesis: [parts.filter((__, j) => j !== i).join("+")] }));
    },
  },
  {
    name: "fault count",
    candidates: (s) => below([1, 2, 4, 8, 16], faultCapacity(s)).map((faults) => ({ ...s, faults })),
  },
  {
    name: "time limit",
    // With a fault count kept, long enough for those faults to start and be held.
    candidates: (s) =>
      below([10, 15, 20, 30, 45, 60, 90, 120], s.timeLimit)
        .filter((t) => s.faults === undefined || t >= secondsFor(s, s.faults))
        .map((timeLimit) => ({ ...s, timeLimit })),
  },
  {
    name: "clients",
    candidates: (s) => below([2, 3, 4], s.clients).map((clients) => ({ ...s, clients })),
  },
  {
    name: "fault interval",
    candidates: (s) =>
      below(
        [Math.max(2, Math.round(s.nemesisInterval / 4)), Math.round(s.nemesisInterval / 2)],
        s.nemesisInterval,
      )
        .filter((i) => i >= 2)
        .map((nemesisInterval) => ({ ...s, nemesisInterval })),
  },
];
