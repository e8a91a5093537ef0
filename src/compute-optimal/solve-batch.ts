import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import { mapLimit } from "../core/map-limit.js";
import type { Problem } from "../core/problem.js";
import { addUsage, type Usage } from "../core/usage.js";
import { auto } from "../strategies/auto.js";
import { bestOfN } from "../strategies/best-of-n.js";
import { strategies } from "../strategies/index.js";
import type { CommonOptions, StrategyDeps, StrategyResult } from "../strategies/strategy.js";
import { allocateBudgets } from "./allocate-budgets.js";
import { binOf, type ComputeOptimalPolicy } from "./policy.js";

export interface BatchOptions extends Omit<CommonOptions, "budget"> {
  policy: ComputeOptimalPolicy;
  /** Generations shared by the whole batch, probes included. */
  totalBudget: number;
  /** Problems solved at once (default 8); the engine batches their calls. */
  concurrency?: number;
}

export interface BatchResult {
  results: StrategyResult[];
  /** The budget each problem was given, probe included. */
  budgets: number[];
  bins: number[];
  usage: Usage;
}

/**
 * Compute-optimal scaling over a batch under one shared budget: probe every question, predict its
 * difficulty, split the budget where the calibrated policy says it buys the most accuracy, then run
 * `auto` on each with its share (reusing its probe). Early stopping inside a choice returns compute
 * unspent, which shows in the usage.
 * @example await solveBatch(problems, deps, { policy, totalBudget: 16 * problems.length, seed: 1 })
 */
export async function solveBatch(problems: readonly Problem[], deps: StrategyDeps, options: BatchOptions): Promise<BatchResult> {
  const { policy, totalBudget, concurrency = 8, ...common } = options;
  const k = policy.probe.samples;
  if (!Number.isInteger(totalBudget) || totalBudget < k * problems.length) {
    throw new InvalidOptionError({ field: "totalBudget", value: totalBudget, accepted: `an integer ≥ ${k * problems.length} (the probe's ${k} samples per problem)` });
  }
  const probes = await mapLimit(problems, concurrency, (p) => bestOfN(p, deps, { ...common, budget: { generations: k } }));
  const bins = probes.map((probe) => binOf(policy, mean(probe.candidates.map((c) => c.score ?? 0))));
  const budgets = allocateBudgets(policy, bins, totalBudget, k);
  const results = await mapLimit(problems, concurrency, (p, i) => auto(p, deps, { ...common, budget: { generations: budgets[i]! }, policy, probe: probes[i]!, table: strategies }));
  return { results, budgets, bins, usage: results.reduce<Usage>((sum, r) => addUsage(sum, r.usage), {}) };
}

function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
