import type { EvalConfig } from "./eval-config.js";
import { cellOptions } from "./eval-plan.js";
import { GREEDY } from "./sampling-strategies.js";

/**
 * Records a run holds when finished: problems × seeds × the (strategy, budget) cells it can run.
 * Undefined for runs whose configuration does not say how many problems they cover.
 */
export function plannedRecords(config: EvalConfig): number | undefined {
  if (config.problemCount === undefined) return undefined;
  let cells = 0;
  for (const strategy of config.strategies) {
    for (const budget of strategy === GREEDY ? [1] : config.budgets) if (typeof cellOptions(config, strategy, budget) !== "string") cells++;
  }
  return config.problemCount * config.seeds.length * cells;
}
