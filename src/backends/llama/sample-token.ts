/** How a token is drawn from next-token logits. */
export interface TokenSampling {
  /** 0 picks the most likely token (ties: the lowest id). */
  temperature: number;
  /** Keep the smallest set of most likely tokens whose probability reaches this (1: all). */
  topP?: number;
  /** Keep only tokens at least this fraction as likely as the most likely one (0: all). */
  minP?: number;
  /** Keep only this many most likely tokens (0: all). */
  topK?: number;
}

/**
 * A token drawn from `logits` (indexed by token id) and its log-probability under the
 * distribution drawn from: softmax(logits / temperature), cut by top-k, min-p and top-p, renormalised.
 * Pure: `uniform` (a number in [0, 1)) makes the choice, so a seeded generator reproduces it.
 */
export function sampleToken(logits: ArrayLike<number>, { temperature, topP = 1, minP = 0, topK = 0 }: TokenSampling, uniform: number): { token: number; logprob: number } {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
  if (temperature <= 0) return { token: best, logprob: 0 };
  const max = logits[best]! / temperature;
  // The candidates in order, most likely first (ties: lowest id first), are only needed as far as
  // the draw walks; their weights, in that order, for every sum. So the weights are sorted as
  // numbers (a typed array's native sort) and a token is looked up only when the walk reaches it.
  const weight = new Float64Array(logits.length);
  let finite = 0;
  for (let i = 0; i < logits.length; i++) {
    if (Number.isFinite(logits[i]!)) {
      weight[i] = Math.exp(logits[i]! / temperature - max);
      finite++;
    } else weight[i] = NaN;
  }
  const sorted = weight.slice().sort().subarray(0, finite).reverse();
  let total = 0;
  for (let k = 0; k < finite; k++) total += sorted[k]!;
  let keep = topK > 0 ? Math.min(topK, finite) : finite;
  if (minP > 0) while (keep > 1 && sorted[keep - 1]! < minP * sorted[0]!) keep--;
  if (topP < 1) {
    let mass = 0;
    for (let k = 0; k < keep; k++) {
      mass += sorted[k]! / total;
      if (mass >= topP) {
        keep = k + 1;
        break;
      }
    }
  }
  let kept = 0;
  for (let k = 0; k < keep; k++) kept += sorted[k]!;
  let r = uniform * kept;
  for (let k = 0; k < keep; k++) {
    r -= sorted[k]!;
    if (r < 0 || k === keep - 1) return { token: tokenAt(weight, sorted, k), logprob: Math.log(sorted[k]! / kept) };
  }
  return { token: best, logprob: 0 };
}

/** The token at rank `k` of the weights sorted most likely first, ties by lowest id: the (k − first rank of its weight)-th token of that weight. */
function tokenAt(weight: Float64Array, sorted: Float64Array, k: number): number {
  const value = sorted[k]!;
  let rank = k;
  while (rank > 0 && sorted[rank - 1] === value) rank--;
  let skip = k - rank;
  for (let i = 0; i < weight.length; i++) {
    if (weight[i] === value && skip-- === 0) return i;
  }
  throw new Error("sampleToken: a sorted weight has no token");
}
