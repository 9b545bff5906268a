/**
 * Shrink a failing run: rerun its spec and seed with smaller fault schedules (candidates.ts) and keep
 * each smaller spec that still gives the same verdict. Timing is not deterministic, so each candidate is
 * tried up to `tries` times and counts as reproduced if any try does; the smallest spec is then rerun
 * `confirm` times to say how often it reproduces. Only the runner is injected: tests drive it with a fake.
 */
import { verdictOf, type Verdict } from "../campaign/verdict.ts";
import type { RunOptions, RunOutcome } from "../runner/run.ts";
import type { TestSpec } from "../runner/test-spec.ts";
import { DIMENSIONS, type Dimension, type ShrinkSpec } from "./candidates.ts";

export type ShrinkRunner = (
  raw: Partial<Record<keyof TestSpec, unknown>>,
  opts: RunOptions,
) => Promise<RunOutcome>;

/** One candidate and what its tries gave. */
export interface ShrinkStep {
  readonly dimension: Dimension["name"];
  /** The field changed and its new value, e.g. `clients=2`. */
  readonly change: string;
  readonly spec: ShrinkSpec;
  readonly verdicts: readonly Verdict[];
  readonly reproduced: boolean;
  /** Run folders of the tries. */
  readonly dirs: readonly string[];
}

export interface ShrinkResult {
  readonly target: Verdict;
  readonly original: ShrinkSpec;
  readonly smallest: ShrinkSpec;
  readonly steps: readonly ShrinkStep[];
  /** The confirmation reruns of the smallest spec. */
  readonly confirm: { readonly verdicts: readonly Verdict[]; readonly dirs: readonly string[] };
  /** A run folder of the smallest spec that reproduced (repro takes it). */
  readonly reproDir: string | null;
}

export interface ShrinkOptions {
  /** The stored spec of the failing run (seed included). */
  readonly spec: TestSpec;
  readonly target: Verdict;
  readonly tries: number;
  readonly confirm: number;
  readonly run: ShrinkRunner;
  readonly signal?: AbortSignal;
  readonly onStep?: (step: ShrinkStep) => void;
  readonly onTry?: (what: string) => void;
}

const FIELDS = ["nemesis", "timeLimit", "clients", "nemesisInterval", "faults", "sessionTimeoutMs"] as const;

export const shrinkSpecOf = (s: TestSpec): ShrinkSpec => {
  const out: Record<string, unknown> = {};
  for (const k of FIELDS) if (s[k] !== undefined) out[k] = s[k];
  return out as unknown as ShrinkSpec;
};

/** `clients=2`, `nemesis=partition`: what a candidate changed. */
function changeOf(from: ShrinkSpec, to: ShrinkSpec): string {
  for (const k of FIELDS) {
    const [a, b] = [from[k], to[k]];
    if (JSON.stringify(a) !== JSON.stringify(b)) return `${k}=${Array.isArray(b) ? b.join(",") : String(b)}`;
  }
  return "nothing";
}

export async function shrink(o: ShrinkOptions): Promise<ShrinkResult> {
  const original = shrinkSpecOf(o.spec);
  let current = original;
  let reproDir: string | null = null;
  const steps: ShrinkStep[] = [];
  const failed = new Set<string>(); // candidates tried that did not reproduce: never again
  const attempt = async (spec: ShrinkSpec, what: string) => {
    const verdicts: Verdict[] = [];
    const dirs: string[] = [];
    for (let t = 0; t < o.tries && !o.signal?.aborted; t++) {
      o.onTry?.(`${what} (try ${t + 1}/${o.tries})`);
      const out = await o.run({ ...o.spec, ...spec }, o.signal ? { signal: o.signal } : {});
      verdicts.push(verdictOf(out.results.valid));
      dirs.push(out.dir);
      if (verdicts.at(-1) === o.target) break;
    }
    return { verdicts, dirs, reproduced: verdicts.includes(o.target) };
  };
  for (const dimension of DIMENSIONS) {
    // Keep taking the smallest candidate that reproduces, until none of this dimension does.
    for (;;) {
      let kept = false;
      for (const candidate of dimension.candidates(current)) {
        if (o.signal?.aborted) break;
        if (failed.has(JSON.stringify(candidate))) continue;
        const change = changeOf(current, candidate);
        const tried = await attempt(candidate, change);
        const step: ShrinkStep = { dimension: dimension.name, change, spec: candidate, ...tried };
        steps.push(step);
        o.onStep?.(step);
        if (tried.reproduced) {
          current = candidate;
          reproDir = tried.dirs[tried.verdicts.indexOf(o.target)]!;
          kept = true;
          break;
        }
        failed.add(JSON.stringify(candidate));
      }
      if (!kept || o.signal?.aborted) break;
    }
  }
  const confirm = { verdicts: [] as Verdict[], dirs: [] as string[] };
  for (let t = 0; t < o.confirm && !o.signal?.aborted; t++) {
    o.onTry?.(`confirming the smallest spec (${t + 1}/${o.confirm})`);
    const out = await o.run({ ...o.spec, ...current }, o.signal ? { signal: o.signal } : {});
    confirm.verdicts.push(verdictOf(out.results.valid));
    confirm.dirs.push(out.dir);
    if (confirm.verdicts.at(-1) === o.target) reproDir ??= out.dir;
  }
  return { target: o.target, original, smallest: current, steps, confirm, reproDir };
}
