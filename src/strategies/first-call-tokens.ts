import type { AnyStrategyOptions } from "./index.js";
import { DEFAULT_MAX_STEP_TOKENS, DEFAULT_MAX_TOKENS } from "./search-run.js";

/**
 * The tokens a strategy's first round may generate, reserved against the budget before it runs.
 * A token budget below this starts nothing, so strategies refuse it up front (naming
 * `budget.tokens`), and the CLI checks it before loading a model.
 * @example firstCallTokens("beam-search", { budget: { generations: 16 }, seed: 0, maxStepTokens: 64 }) // 1024: 16 first steps
 */
export function firstCallTokens(strategy: string, options: AnyStrategyOptions): number {
  const n = options.budget.generations;
  const solution = options.maxTokens ?? DEFAULT_MAX_TOKENS;
  const step = options.maxStepTokens ?? DEFAULT_MAX_STEP_TOKENS;
  switch (strategy) {
    // N first steps at once; DVTS's subtrees draw theirs together, and one refused fails the round.
    case "beam-search":
    case "dvts":
      return n * step;
    case "lookahead": {
      const beams = Math.floor(n / ((options.lookahead ?? 2) + 1));
      return (beams - (beams % (options.beamWidth ?? 4))) * step;
    }
    // Every chain's first attempt at once.
    case "revisions":
      return Math.max(1, Math.floor(n / (options.chainLength ?? n))) * solution;
    // One whole solution: sampling strategies draw as many as the cap allows, and auto's probe samples.
    default:
      return solution;
  }
}
