import { leaderIsModeProbability, leadIsSafe } from "../aggregation/leader-share.js";
import type { Candidate } from "../core/candidate.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import type { Problem } from "../core/problem.js";
import { drawSamples } from "./esc.js";
import { isBudgetStop, SearchRun } from "./search-run.js";
import type { CommonOptions, StrategyDeps, StrategyResult } from "./strategy.js";

export interface AdaptiveConsistencyOptions extends CommonOptions {
  /** Stop once the posterior probability that the leading answer is the most likely one reaches this (default 0.8, chosen on validation seeds 7–8; the paper's 0.95 spends ≈ 45% more tokens at N=64 here). */
  stopWhenDecided?: number;
  /** Samples drawn between two looks at the vote (default 4; 1 is the paper's one at a time, with no batching). */
  wave?: number;
  /** Solutions already drawn with this seed (`auto`'s probe), counted as the first ones and never drawn again. */
  presampled?: readonly Candidate[];
}

/**
 * Adaptive-Consistency (arXiv 2305.11860): samples are drawn a wave at a time until the Beta
 * posterior says the leading answer is the mode with probability `stopWhenDecided` (or its lead can
 * no longer be overturned within the budget); the answer is the majority. Needs no verifier.
 * Sample i is majority voting's sample i; the vote is looked at only between waves, so the result
 * does not depend on which sample finishes first.
 * @example await adaptiveConsistency(problem, { generator, answers }, { budget: { generations: 64 }, seed: 1 })
 */
export async function adaptiveConsistency(problem: Problem, deps: StrategyDeps, options: AdaptiveConsistencyOptions): Promise<StrategyResult> {
  const run = new SearchRun("adaptive-consistency", problem, deps, options);
  const { stopWhenDecided = 0.8, wave = 4, presampled = [] } = options;
  const bad = (field: string, value: unknown, accepted: string) => new InvalidOptionError({ field, value, accepted, where: run.strategy });
  if (!(stopWhenDecided > 0 && stopWhenDecided <= 1)) throw bad("stopWhenDecided", stopWhenDecided, "a probability in (0, 1]");
  if (!Number.isInteger(wave) || wave < 1) throw bad("wave", wave, "an integer ≥ 1");
  const budget = options.budget.generations;
  const samples = presampled.slice(0, budget);
  const decided = () => samples.length > 0 && (leadIsSafe(samples, budget - samples.length) || leaderIsModeProbability(samples) >= stopWhenDecided);
  let stoppedBy: StrategyResult["stoppedBy"] = "complete";
  try {
    while (stoppedBy === "complete" && samples.length < budget && !decided()) {
      const drawn = await drawSamples(run, samples.length, Math.min(wave, budget - samples.length));
      samples.push(...drawn.samples);
      if (drawn.cut) stoppedBy = "budget";
      run.deps.onEvent?.({ type: "candidates", strategy: run.strategy, count: samples.length, usage: run.usage() });
    }
  } catch (error) {
    if (!isBudgetStop(error)) throw error;
    stoppedBy = "budget";
  }
  return run.finish(samples, "majority", stoppedBy, { samples: samples.length, stoppedEarly: samples.length < budget && stoppedBy === "complete" });
}
