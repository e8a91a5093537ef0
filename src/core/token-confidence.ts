/**
 * Token confidence: how sure the model was where it wrote a token, read from its own next-token
 * distribution (temperature 1, nothing cut). Every backend reports it the same way, so strategies
 * compare traces whichever engine or server wrote them. Higher is more confident, for both signals:
 * - `top-k` (DeepConf, arXiv 2508.15260): −mean log-probability of the k most likely candidates,
 *   i.e. how peaked the distribution was;
 * - `likelihood`: the log-probability of the token written, i.e. whether the sample took a token
 *   the model itself found likely (a slip at temperature > 0 shows here, not in the top-k spread).
 */

/** Which signal a token's confidence is. */
export const CONFIDENCE_SIGNALS = ["top-k", "likelihood"] as const;
export type ConfidenceSignal = (typeof CONFIDENCE_SIGNALS)[number];

/** Candidates a token's `top-k` confidence is read from by default: the top-20 OpenAI-compatible servers return. */
export const DEFAULT_CONFIDENCE_TOP_K = 20;

/**
 * Log-probabilities are floored here: ln of the smallest positive float32. Engines compute
 * probabilities in float32, so a candidate whose probability underflowed to 0 (or that a truncated
 * sampler dropped) still counts as "very unlikely" rather than making the confidence infinite.
 */
export const MIN_LOGPROB = Math.log(1.401298464324817e-45);

/**
 * Confidences are compared and reported to this resolution. An engine's float arithmetic varies in
 * the 7th digit with how sequences were batched and where their KV cells sit, which would make a
 * threshold or a vote weight differ between two runs of one seed; rounding where a decision is made
 * makes them agree, except when a value lies within that noise of a rounding boundary (~1e-5 odds).
 */
export const CONFIDENCE_RESOLUTION = 1e-3;

/** `x` rounded to CONFIDENCE_RESOLUTION. */
export function roundConfidence(x: number): number {
  return Math.round(x / CONFIDENCE_RESOLUTION) * CONFIDENCE_RESOLUTION;
}

/**
 * C = −(1/k) Σⱼ log pⱼ over the k most likely candidates. High when the distribution is peaked (the
 * runners-up are unlikely); at its lowest, ln k, when the k share the mass evenly. `topLogprobs` may
 * be in any order and longer than k; when a server returns fewer than k, those given are averaged.
 * @example tokenConfidence([-0.01, -5, -9], 3) // ≈ 4.67
 */
export function tokenConfidence(topLogprobs: readonly number[], k = DEFAULT_CONFIDENCE_TOP_K): number {
  if (topLogprobs.length === 0) return 0;
  const top = topLogprobs.length <= k ? topLogprobs : [...topLogprobs].sort((a, b) => b - a).slice(0, k);
  let sum = 0;
  for (const lp of top) sum += Math.max(MIN_LOGPROB, Number.isNaN(lp) ? MIN_LOGPROB : lp);
  return -sum / top.length;
}

/** A token's confidence as `signal` reads it, from the model's top log-probabilities there and the written token's. */
export function confidenceOf(signal: ConfidenceSignal, topLogprobs: readonly number[], chosenLogprob: number, k = DEFAULT_CONFIDENCE_TOP_K): number {
  return signal === "likelihood" ? Math.max(MIN_LOGPROB, Number.isNaN(chosenLogprob) ? MIN_LOGPROB : chosenLogprob) : tokenConfidence(topLogprobs, k);
}

/**
 * Group confidence while a trace is being written: the mean confidence of its last `window` tokens,
 * updated in constant time per token.
 * @example const group = new SlidingConfidence(16); for (const c of confidences) if ((group.push(c) ?? Infinity) < threshold) stop();
 */
export class SlidingConfidence {
  readonly window: number;
  readonly #values: number[] = [];
  #sum = 0;
  #count = 0;

  constructor(window: number) {
    if (!Number.isInteger(window) || window < 1) throw new RangeError(`window must be an integer ≥ 1, got ${window}`);
    this.window = window;
  }

  /** Adds a token's confidence; returns the window's mean once `window` tokens have been seen, else undefined. */
  push(confidence: number): number | undefined {
    const slot = this.#count % this.window;
    if (this.#count >= this.window) this.#sum -= this.#values[slot]!;
    this.#values[slot] = confidence;
    this.#sum += confidence;
    this.#count++;
    return this.#count >= this.window ? this.#sum / this.window : undefined;
  }

  /** Tokens seen. */
  get count(): number {
    return this.#count;
  }
}

/**
 * Every full window's mean confidence along a trace (position `window − 1` onwards). A trace shorter
 * than the window has one group, all of it, so every trace with a token has at least one group.
 */
export function groupConfidences(confidences: readonly number[], window: number): number[] {
  if (confidences.length === 0) return [];
  if (confidences.length <= window) return [mean(confidences)];
  const sliding = new SlidingConfidence(window);
  const groups: number[] = [];
  for (const c of confidences) {
    const g = sliding.push(c);
    if (g !== undefined) groups.push(g);
  }
  return groups;
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}
