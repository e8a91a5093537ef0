import { createRng } from "../../src/core/rng.js";
import { quantileSorted } from "../../src/eval/metrics/bootstrap-accuracy.js";

/** A figure with its 95% percentile-bootstrap interval. */
export interface Estimate {
  value: number;
  low: number;
  high: number;
}

/**
 * `statistic` over all problems, with a percentile bootstrap interval: each resample draws problem
 * indices with replacement. The same seed draws the same resamples for every statistic over as many
 * problems, so two statistics of the same problems are paired.
 */
export function bootstrap(n: number, statistic: (indices: readonly number[]) => number, { seed = 0, resamples = 2000 } = {}): Estimate {
  const all = Array.from({ length: n }, (_, i) => i);
  const rng = createRng(seed);
  const values = new Float64Array(resamples);
  const sample = new Array<number>(n);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) sample[i] = Math.floor(rng() * n);
    values[b] = statistic(sample);
  }
  values.sort();
  return { value: statistic(all), low: quantileSorted(values, 0.025), high: quantileSorted(values, 0.975) };
}

export const mean = (xs: readonly number[], idx: readonly number[]) => idx.reduce((s, i) => s + xs[i]!, 0) / idx.length;
export const sum = (xs: readonly number[], idx: readonly number[]) => idx.reduce((s, i) => s + xs[i]!, 0);

/** "52.5% [45.5–59.5]" */
export function pct(e: Estimate, signed = false): string {
  const f = (x: number) => `${signed && x > 0 ? "+" : ""}${(100 * x).toFixed(1)}`;
  return `${f(e.value)}${signed ? " pt" : "%"} [${f(e.low)}, ${f(e.high)}]`;
}

/** "0.43× [0.40–0.46]" */
export function ratio(e: Estimate): string {
  return `${e.value.toFixed(2)}× [${e.low.toFixed(2)}, ${e.high.toFixed(2)}]`;
}

/** Within-problem AUROC: over every (right, wrong) pair of samples of one problem, how often the right one scores higher (ties half). */
export function withinProblemAuroc(groups: readonly { scores: readonly number[]; correct: readonly boolean[] }[]): { auroc: number; pairs: number } {
  let wins = 0;
  let pairs = 0;
  for (const { scores, correct } of groups) {
    for (let i = 0; i < scores.length; i++) {
      if (!correct[i]) continue;
      for (let j = 0; j < scores.length; j++) {
        if (correct[j]) continue;
        pairs++;
        wins += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0;
      }
    }
  }
  return { auroc: pairs > 0 ? wins / pairs : NaN, pairs };
}

/** AUROC over all samples pooled (what bench/models.ts reports first). */
export function pooledAuroc(scores: readonly number[], correct: readonly boolean[]): number {
  return withinProblemAuroc([{ scores, correct }]).auroc;
}
