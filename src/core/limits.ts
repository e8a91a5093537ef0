/**
 * The largest value of every budget and count ponder accepts. Each is checked where the value
 * enters (a flag, a request field, a library option) before any work starts, so a typo such as
 * `--budget 1e9` is refused at once instead of allocating for a billion solutions. `--help` and
 * the README list them.
 */
export const LIMITS = {
  /** Generation budget N (solutions begun from the question). */
  generations: 4096,
  /** A budget's cap on completion tokens across a whole search. */
  budgetTokens: 16_777_216,
  /** Tokens of one solution or one step. */
  tokensPerSolution: 32_768,
  /** Rounds of step-wise search. */
  steps: 1000,
  /** A sampling seed. */
  seed: 4_294_967_295,
  /** Seeds, budgets or strategies listed in one evaluation. */
  listLength: 64,
  /** Problems in one evaluation. */
  problems: 1_000_000,
  /** Problems (or requests) in flight at once, threads and sequences of an embedded model. */
  concurrency: 1024,
  /** Sampling temperature. */
  temperature: 2,
} as const;
