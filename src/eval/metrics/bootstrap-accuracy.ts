import { createRng } from "../../core/rng.js";

/** An accuracy with its bootstrap confidence interval. */
export interface AccuracyEstimate {
  /** Mean over problems of the fraction of correct outcomes (seeds of one problem averaged first). */
  accuracy: number;
  /** Lower and upper ends of the percentile interval. */
  low: number;
  high: number;
  /** Problems the estimate rests on. */
  problems: number;
}

/**
 * Accuracy with a percentile bootstrap interval over problems: each resample draws problems with
 * replacement (a problem's seeds stay together, since they are not independent questions).
 * The same seed draws the same resamples for every caller with as many problems, so intervals of
 * strategies evaluated on the same problems are paired.
 * @example accuracyWithCi(new Map([["p1", [true, false]], ["p2", [true]]]), { seed: 0 })
 */
export function accuracyWithCi(
  outcomes: ReadonlyMap<string, readonly boolean[]>,
  { seed, resamples = 1000, level = 0.95 }: { seed: number; resamples?: number; level?: number },
): AccuracyEstimate {
  const perProblem = [...outcomes.values()].filter((o) => o.length > 0).map((o) => o.filter(Boolean).length / o.length);
  const n = perProblem.length;
  if (n === 0) return { accuracy: NaN, low: NaN, high: NaN, problems: 0 };
  const accuracy = mean(perProblem);
  const rng = createRng(seed);
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += perProblem[Math.floor(rng() * n)]!;
    means[b] = sum / n;
  }
  means.sort();
  const tail = (1 - level) / 2;
  return { accuracy, low: quantileSorted(means, tail), high: quantileSorted(means, 1 - tail), problems: n };
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

/** The q-quantile of ascending values, interpolating between neighbours. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
