import type { Problem } from "../core/problem.js";
import { sampleAndVote, type SamplingOptions } from "./sample-and-vote.js";
import { SearchRun } from "./search-run.js";
import type { StrategyDeps, StrategyResult } from "./strategy.js";

/**
 * Best-of-N: N whole solutions scored by the verifier. `weighted` (the default, and the better one
 * in the published work) sums the scores of solutions that reach the same answer; `naive` takes the
 * single best-scored solution.
 * @example await bestOfN(problem, { generator, verifier, answers }, { budget: { generations: 16 }, seed: 1, weighted: true })
 */
export async function bestOfN(problem: Problem, deps: StrategyDeps, options: SamplingOptions & { weighted?: boolean }): Promise<StrategyResult> {
  const weighted = options.weighted ?? true;
  return sampleAndVote(new SearchRun(weighted ? "weighted-best-of-n" : "best-of-n", problem, deps, options), options, weighted ? "weighted" : "best");
}

/** Plain best-of-N: the single highest-scored solution. */
export async function naiveBestOfN(problem: Problem, deps: StrategyDeps, options: SamplingOptions): Promise<StrategyResult> {
  return bestOfN(problem, deps, { ...options, weighted: false });
}
