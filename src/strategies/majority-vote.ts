import { deriveSeed } from "../core/rng.js";
import { SearchRun } from "./search-run.js";
import type { CommonOptions, StrategyDeps, StrategyResult } from "./strategy.js";
import type { Problem } from "../core/problem.js";

/**
 * Self-consistency: N whole solutions, the most frequent final answer wins. Needs no verifier.
 * Sample i is the same for every N under one seed, so smaller budgets are prefixes of larger ones.
 * @example await majorityVote(problem, { generator, answers }, { budget: { generations: 16 }, seed: 1 })
 */
export async function majorityVote(problem: Problem, deps: StrategyDeps, options: CommonOptions): Promise<StrategyResult> {
  const run = new SearchRun("majority", problem, deps, options);
  const n = run.affordableSolutions(options.budget.generations);
  const continuations = await run.generate({ until: "solution", n, seed: deriveSeed(options.seed, "samples") });
  const candidates = continuations.map((c) => run.solution(c));
  deps.onEvent?.({ type: "candidates", strategy: run.strategy, count: candidates.length, usage: run.usage() });
  return run.finish(candidates, "majority", n < options.budget.generations ? "budget" : "complete", { samples: n });
}
