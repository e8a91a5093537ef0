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
  const perProblem = [...outcomes.values()].filter((o) => o.length > 0).map(fractionCorrect);
  const { mean: accuracy, low, high } = bootstrapMean(perProblem, { seed, resamples, level });
  return { accuracy, low, high, problems: perProblem.length };
}

/** The fraction of a problem's outcomes (one per seed) that are correct. */
export function fractionCorrect(outcomes: readonly boolean[]): number {
  return outcomes.filter(Boolean).length / outcomes.length;
}

/**
 * The mean of `values` with a percentile bootstrap interval (NaN for no values). Resample b draws
 * the same indices for every caller with as many values and the same seed.
 */
export function bootstrapMean(
  values: readonly number[],
  { seed, resamples = 1000, level = 0.95 }: { seed: number; resamples?: number; level?: number },
): { mean: number; low: number; high: number } {
  if (values.length === 0) return { mean: NaN, low: NaN, high: NaN };
  const means = bootstrapDraws(values, seed, resamples).sort();
  const tail = (1 - level) / 2;
  return { mean: mean(values), low: quantileSorted(means, tail), high: quantileSorted(means, 1 - tail) };
}

/** The means of `resamples` bootstrap resamples of `values` (drawn with replacement), in draw order. */
export function bootstrapDraws(values: readonly number[], seed: number, resamples: number): Float64Array {
  const n = values.length;
  const rng = createRng(seed);
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[Math.floor(rng() * n)]!;
    means[b] = sum / n;
  }
  return means;
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
