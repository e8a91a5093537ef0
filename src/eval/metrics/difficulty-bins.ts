import { deriveSeed } from "../../core/rng.js";
import type { EvalRecord } from "../eval-record.js";
import { mean } from "./bootstrap-accuracy.js";

/** A problem's difficulty bin: 1 is the easiest fifth, `bins` the hardest. */
export interface BinAssignment {
  problemId: string;
  bin: number;
  /** What the binning ranked by: pass@1 (oracle) or mean verifier score (predicted). */
  value: number;
}

/** Sampling strategies whose samples estimate difficulty, in order of preference. */
const ORACLE_SOURCES = ["majority", "weighted-best-of-n", "best-of-n"];
const PREDICTED_SOURCES = ["weighted-best-of-n", "best-of-n"];

/**
 * Oracle difficulty: each problem's pass@1 (fraction of correct samples, from the sampling
 * strategy's records at its largest budget, all seeds), split into `bins` quantile bins.
 * Null when the run has no sampling strategy.
 */
export function oracleBins(records: readonly EvalRecord[], bins = 5): BinAssignment[] | null {
  const samples = largestSamples(records, ORACLE_SOURCES);
  if (!samples) return null;
  return quantileBins(new Map([...samples].map(([id, cs]) => [id, mean(cs.map((c) => (c.correct ? 1 : 0)))])), bins);
}

/**
 * Predicted difficulty, which needs no gold answer: the mean verifier score of each problem's
 * samples, binned like the oracle. Null when no scored sampling strategy ran. Its cost (the
 * samples and their scoring) is what the scored strategy's records already carry.
 */
export function predictedBins(records: readonly EvalRecord[], bins = 5): BinAssignment[] | null {
  const samples = largestSamples(records, PREDICTED_SOURCES);
  if (!samples) return null;
  return quantileBins(new Map([...samples].map(([id, cs]) => [id, mean(cs.map((c) => c.score ?? 0))])), bins);
}

/**
 * Splits problems into `bins` groups of (nearly) equal size by value, highest value (easiest) in
 * bin 1. Ties are broken by a hash of the problem id, so the split is fixed and unbiased by order.
 */
export function quantileBins(values: ReadonlyMap<string, number>, bins: number): BinAssignment[] {
  const ranked = [...values].sort(([a, va], [b, vb]) => vb - va || deriveSeed(0, a) - deriveSeed(0, b) || a.localeCompare(b));
  const n = ranked.length;
  const count = Math.min(bins, n);
  return ranked.map(([problemId, value], i) => ({ problemId, value, bin: Math.floor((i * count) / n) + 1 }));
}

function largestSamples(records: readonly EvalRecord[], sources: readonly string[]): Map<string, EvalRecord["candidates"]> | null {
  for (const strategy of sources) {
    const own = records.filter((r) => r.strategy === strategy);
    if (own.length === 0) continue;
    const largest = Math.max(...own.map((r) => r.budget));
    const out = new Map<string, EvalRecord["candidates"]>();
    for (const r of own) if (r.budget === largest) out.set(r.problemId, [...(out.get(r.problemId) ?? []), ...r.candidates]);
    return out;
  }
  return null;
}
