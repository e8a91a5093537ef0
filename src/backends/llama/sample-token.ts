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
  const order = Array.from({ length: logits.length }, (_, i) => i).filter((i) => Number.isFinite(logits[i]!));
  const weight = new Float64Array(logits.length);
  let total = 0;
  for (const i of order) total += weight[i] = Math.exp(logits[i]! / temperature - max);
  order.sort((a, b) => weight[b]! - weight[a]! || a - b);
  let keep = topK > 0 ? Math.min(topK, order.length) : order.length;
  if (minP > 0) while (keep > 1 && weight[order[keep - 1]!]! < minP * weight[order[0]!]!) keep--;
  if (topP < 1) {
    let mass = 0;
    for (let k = 0; k < keep; k++) {
      mass += weight[order[k]!]! / total;
      if (mass >= topP) {
        keep = k + 1;
        break;
      }
    }
  }
  let kept = 0;
  for (let k = 0; k < keep; k++) kept += weight[order[k]!]!;
  let r = uniform * kept;
  for (let k = 0; k < keep; k++) {
    const token = order[k]!;
    r -= weight[token]!;
    if (r < 0 || k === keep - 1) return { token, logprob: Math.log(weight[token]! / kept) };
  }
  return { token: best, logprob: 0 };
}
