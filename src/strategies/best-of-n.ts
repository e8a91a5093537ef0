import { deriveSeed } from "../core/rng.js";
import type { Problem } from "../core/problem.js";
import { SearchRun } from "./search-run.js";
import type { CommonOptions, StrategyDeps, StrategyResult } from "./strategy.js";

/**
 * Best-of-N: N whole solutions scored by the verifier. `weighted` (the default, and the better one
 * in the published work) sums the scores of solutions that reach the same answer; `naive` takes the
 * single best-scored solution.
 * @example await bestOfN(problem, { generator, verifier, answers }, { budget: { generations: 16 }, seed: 1, weighted: true })
 */
export async function bestOfN(problem: Problem, deps: StrategyDeps, options: CommonOptions & { weighted?: boolean }): Promise<StrategyResult> {
  const weighted = options.weighted ?? true;
  const run = new SearchRun(weighted ? "weighted-best-of-n" : "best-of-n", problem, deps, options);
  run.requireVerifier();
  const n = run.affordableSolutions(options.budget.generations);
  const continuations = await run.generate({ until: "solution", n, seed: deriveSeed(options.seed, "samples") });
  const candidates = await run.score(continuations.map((c) => run.solution(c)));
  deps.onEvent?.({ type: "candidates", strategy: run.strategy, count: candidates.length, usage: run.usage() });
  return run.finish(candidates, weighted ? "weighted" : "best", n < options.budget.generations ? "budget" : "complete", { samples: n });
}

/** Plain best-of-N: the single highest-scored solution. */
export function naiveBestOfN(problem: Problem, deps: StrategyDeps, options: CommonOptions): Promise<StrategyResult> {
  return bestOfN(problem, deps, { ...options, weighted: false });
}
