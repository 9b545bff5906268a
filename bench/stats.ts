/** The figures benches report over their samples: the median and nearest-rank percentiles. */
import { quantile } from "../report/plots.ts";

const sorted = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b);

/** The middle sample, or the mean of the two middle ones; NaN for none. */
export function median(xs: readonly number[]): number {
  const s = sorted(xs);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The nearest-rank percentile, q in [0, 1] (1: the maximum); NaN for none. */
export const percentile = (xs: readonly number[], q: number): number => quantile(sorted(xs), q);
