import { bootstrapDraws, bootstrapMean, fractionCorrect, mean, quantileSorted } from "./bootstrap-accuracy.js";

/** A difference in accuracy (b − a) with its bootstrap interval. */
export interface AccuracyDifference {
  /** Mean over the problems compared of b's accuracy minus a's. */
  difference: number;
  low: number;
  high: number;
  /** Problems the difference rests on: those both sides answered when paired. */
  problems: number;
  /** True when both sides answered the same problems and each resample drew a problem for both at once. */
  paired: boolean;
}

/**
 * b's accuracy minus a's with a 95% bootstrap interval. On the problems both answered the
 * difference is paired: each resample draws problems, and a problem's two outcomes stay together,
 * so what makes a problem easy or hard cancels out and the interval is narrower than two separate
 * ones suggest. Without shared problems (two datasets) the sides are resampled independently.
 * @example pairedDifference(outcomesByProblem(majority), outcomesByProblem(beam), { seed: 0 })
 */
export function pairedDifference(
  a: ReadonlyMap<string, readonly boolean[]>,
  b: ReadonlyMap<string, readonly boolean[]>,
  { seed, resamples = 1000, level = 0.95 }: { seed: number; resamples?: number; level?: number },
): AccuracyDifference {
  const shared = [...a.keys()].filter((id) => b.has(id) && a.get(id)!.length > 0 && b.get(id)!.length > 0).sort();
  if (shared.length > 0) {
    const differences = shared.map((id) => fractionCorrect(b.get(id)!) - fractionCorrect(a.get(id)!));
    const { mean, low, high } = bootstrapMean(differences, { seed, resamples, level });
    return { difference: mean, low, high, problems: shared.length, paired: true };
  }
  const perProblem = (m: ReadonlyMap<string, readonly boolean[]>) => [...m.values()].filter((o) => o.length > 0).map(fractionCorrect);
  const [pa, pb] = [perProblem(a), perProblem(b)];
  if (pa.length === 0 || pb.length === 0) return { difference: NaN, low: NaN, high: NaN, problems: 0, paired: false };
  // Independent resamples of each side: the bootstrap distribution of a difference of two means.
  const ra = bootstrapDraws(pa, seed, resamples);
  const rb = bootstrapDraws(pb, seed + 1, resamples);
  const diffs = rb.map((x, i) => x - ra[i]!).sort();
  const tail = (1 - level) / 2;
  return { difference: mean(pb) - mean(pa), low: quantileSorted(diffs, tail), high: quantileSorted(diffs, 1 - tail), problems: Math.min(pa.length, pb.length), paired: false };
}
