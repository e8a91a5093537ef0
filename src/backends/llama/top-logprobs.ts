import { MIN_LOGPROB } from "../../core/token-confidence.js";

/** The model's own log-probabilities at one position: its k most likely candidates, highest first, and the token written. */
export interface ModelLogprobs {
  top: number[];
  chosen: number;
}

/**
 * The model's own log-probabilities (temperature 1, nothing cut) at a position, from the
 * probabilities llama.cpp's sampler drew `chosen` from at `temperature`.
 *
 * Servers report log-probabilities of the model's distribution (llama.cpp's server and vLLM by
 * default), and the embedded engine should agree with them. The sampler's probabilities are
 * softmax(logits / T), so T·ln p recovers the logits up to a constant, and a log-softmax of those
 * the model's own distribution. Exact when the sampler cuts nothing (top-k 0, top-p 1, min-p 0,
 * ponder's defaults); with a cut, the normaliser covers only the tokens kept and the missing
 * candidates count as MIN_LOGPROB. Temperature 0 (greedy) leaves the logits unscaled.
 */
export function modelLogprobs(probabilities: ReadonlyMap<number, number>, temperature: number, k: number, chosen: number): ModelLogprobs {
  const t = temperature > 0 ? temperature : 1;
  const scaled = new Map<number, number>();
  for (const [token, p] of probabilities) if (p > 0) scaled.set(token, t * Math.log(p));
  return fromScaled(scaled, k, chosen);
}

/** The same from raw next-token logits indexed by token id (the first token, which ponder draws itself). */
export function modelLogprobsFromLogits(logits: ArrayLike<number>, k: number, chosen: number): ModelLogprobs {
  const finite = new Map<number, number>();
  for (let i = 0; i < logits.length; i++) if (Number.isFinite(logits[i]!)) finite.set(i, logits[i]!);
  return fromScaled(finite, k, chosen);
}

function fromScaled(values: ReadonlyMap<number, number>, k: number, chosen: number): ModelLogprobs {
  let max = -Infinity;
  for (const x of values.values()) if (x > max) max = x;
  if (!Number.isFinite(max)) return { top: Array.from({ length: k }, () => MIN_LOGPROB), chosen: MIN_LOGPROB };
  let sum = 0;
  for (const x of values.values()) sum += Math.exp(x - max);
  const logZ = max + Math.log(sum);
  const top = largest(values.values(), k).map((x) => Math.max(MIN_LOGPROB, x - logZ));
  while (top.length < k) top.push(MIN_LOGPROB);
  const own = values.get(chosen);
  return { top, chosen: own === undefined ? MIN_LOGPROB : Math.max(MIN_LOGPROB, own - logZ) };
}

/** The `k` largest values, highest first, without sorting the whole vocabulary. */
function largest(values: Iterable<number>, k: number): number[] {
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
