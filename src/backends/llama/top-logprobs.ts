import { MIN_LOGPROB } from "../../core/token-confidence.js";

/**
 * The model's own log-probabilities (temperature 1, nothing cut) of its `k` most likely next tokens,
 * from the probabilities llama.cpp's sampler drew a token from at `temperature`, highest first.
 *
 * Servers report confidence on the model's distribution (llama.cpp's server and vLLM by default),
 * and the embedded engine should agree with them. The sampler's probabilities are
 * softmax(logits / T), so T·ln p recovers the logits up to a constant, and a log-softmax of those
 * the model's own distribution. Exact when the sampler cuts nothing (top-k 0, top-p 1, min-p 0,
 * ponder's defaults); with a cut, the normaliser covers only the tokens kept and the missing
 * candidates count as MIN_LOGPROB. Temperature 0 (greedy) leaves the logits unscaled.
 */
export function rawTopLogprobs(probabilities: Iterable<number>, temperature: number, k: number): number[] {
  const t = temperature > 0 ? temperature : 1;
  const scaled: number[] = [];
  let max = -Infinity;
  for (const p of probabilities) {
    if (!(p > 0)) continue;
    const x = t * Math.log(p);
    scaled.push(x);
    if (x > max) max = x;
  }
  return topOfScaled(scaled, max, k);
}

/** The same from raw next-token logits indexed by token id (the first token, drawn by ponder itself). */
export function topLogprobsFromLogits(logits: ArrayLike<number>, k: number): number[] {
  const finite: number[] = [];
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) {
    const x = logits[i]!;
    if (!Number.isFinite(x)) continue;
    finite.push(x);
    if (x > max) max = x;
  }
  return topOfScaled(finite, max, k);
}

function topOfScaled(values: number[], max: number, k: number): number[] {
  if (values.length === 0) return Array.from({ length: k }, () => MIN_LOGPROB);
  let sum = 0;
  for (const x of values) sum += Math.exp(x - max);
  const logZ = max + Math.log(sum);
  const top = largest(values, k).map((x) => Math.max(MIN_LOGPROB, x - logZ));
  while (top.length < k) top.push(MIN_LOGPROB);
  return top;
}

/** The `k` largest values, highest first, without sorting the whole vocabulary. */
function largest(values: readonly number[], k: number): number[] {
  const top: number[] = [];
  for (const v of values) {
    if (top.length === k && v <= top[k - 1]!) continue;
    let i = top.length < k ? top.length : k - 1;
    if (top.length < k) top.push(v);
    while (i > 0 && top[i - 1]! < v) {
      top[i] = top[i - 1]!;
      i--;
    }
    top[i] = v;
  }
  return top;
}
