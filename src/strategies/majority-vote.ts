import type { Problem } from "../core/problem.js";
import { sampleAndVote, type SamplingOptions } from "./sample-and-vote.js";
import { SearchRun } from "./search-run.js";
import type { StrategyDeps, StrategyResult } from "./strategy.js";

/**
 * Self-consistency: N whole solutions, the most frequent final answer wins. Needs no verifier.
 * Sample i is the same for every N under one seed, so smaller budgets are prefixes of larger ones.
 * @example await majorityVote(problem, { generator, answers }, { budget: { generations: 16 }, seed: 1 })
 */
export async function majorityVote(problem: Problem, deps: StrategyDeps, options: SamplingOptions): Promise<StrategyResult> {
  return sampleAndVote(new SearchRun("majority", problem, deps, options), options, "majority");
}
