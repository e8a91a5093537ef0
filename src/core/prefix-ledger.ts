/**
 * The token prefixes each model has processed for one request (one strategy run on one problem),
 * as an engine with an unbounded prefix cache would hold them (vLLM's automatic prefix caching,
 * SGLang's radix cache, llama.cpp's slot reuse). A token is "processed" when the prefix ending in
 * it was not processed before in the same request; the rest are cache hits.
 *
 * The total over a request is the number of distinct prefixes it sent, which does not depend on
 * the order its calls ran in, nor on what other requests left in a real cache: unlike the engine's
 * measured cache hits, it is the same whatever the scheduling.
 */
export class PrefixLedger {
  /** Per model, hashes of every prefix processed (a prefix's presence implies all shorter ones). */
  readonly #seen = new Map<string, Set<number>>();

  /**
   * Marks every prefix of `tokens` as processed by `model` and returns how many of its tokens were
   * new: its length minus the longest prefix processed before.
   * @example ledger.admit("policy", [1, 2, 3]); ledger.admit("policy", [1, 2, 4]) // 3, then 1
   */
  admit(model: string, tokens: readonly number[]): number {
    let seen = this.#seen.get(model);
    if (!seen) this.#seen.set(model, (seen = new Set()));
    const hashes = prefixHashes(tokens);
    let known = 0;
    while (known < hashes.length && seen.has(hashes[known]!)) known++;
    for (let i = known; i < hashes.length; i++) seen.add(hashes[i]!);
    return tokens.length - known;
  }
}

/**
 * A 53-bit hash of each prefix, built from two independent 32-bit chains so it stays exact in a
 * double (a million prefixes collide with probability ~1e-4).
 */
function prefixHashes(tokens: readonly number[]): number[] {
  const out = new Array<number>(tokens.length);
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]! >>> 0;
    a = Math.imul(a ^ t, 0x01000193);
    a ^= a >>> 15;
    b = Math.imul(b + t + 0x7f4a7c15, 0x85ebca6b);
    b ^= b >>> 13;
    out[i] = (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
  }
  return out;
}
