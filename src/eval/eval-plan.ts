import type { Problem } from "../core/problem.js";
import type { AnyStrategyOptions } from "../strategies/index.js";
import type { EvalConfig } from "./eval-config.js";
import { recordKey } from "./eval-record.js";
import { GREEDY, isSamplingStrategy } from "./sampling-strategies.js";

/** One strategy run to perform: a sampling strategy covers several budgets at once, the others one. */
export interface WorkUnit {
  problem: Problem;
  strategy: string;
  seed: number;
  /** Budgets whose records this unit writes; the run is made at the largest. */
  budgets: number[];
  options: AnyStrategyOptions;
}

/** A (strategy, budget) the configuration asks for but the strategy cannot run, and why. */
export interface SkippedCell {
  strategy: string;
  budget: number;
  reason: string;
}

export interface EvalPlan {
  /** Units still to run, problem by problem. */
  units: WorkUnit[];
  /** Records the run holds when complete. */
  totalRecords: number;
  skipped: SkippedCell[];
}

/**
 * What remains of a run: every (problem, strategy, budget, seed) without a record, grouped into
 * strategy runs. Sampling strategies run once at the largest missing budget (sample i does not
 * depend on N); the others once per budget.
 */
export function planEval(config: EvalConfig, problems: readonly Problem[], has: (key: string) => boolean): EvalPlan {
  const units: WorkUnit[] = [];
  const skipped: SkippedCell[] = [];
  const cells = new Map<string, { budget: number; options: AnyStrategyOptions }[]>();
  for (const strategy of config.strategies) {
    const list: { budget: number; options: AnyStrategyOptions }[] = [];
    for (const budget of strategy === GREEDY ? [1] : config.budgets) {
      const options = cellOptions(config, strategy, budget);
      if (typeof options === "string") skipped.push({ strategy, budget, reason: options });
      else list.push({ budget, options });
    }
    cells.set(strategy, list);
  }
  let totalRecords = 0;
  for (const problem of problems) {
    for (const seed of config.seeds) {
      for (const strategy of config.strategies) {
        const list = cells.get(strategy)!;
        totalRecords += list.length;
        const missing = list.filter((c) => !has(recordKey({ problemId: problem.id, strategy, budget: c.budget, seed })));
        if (missing.length === 0) continue;
        if (isSamplingStrategy(strategy)) {
          const largest = missing[missing.length - 1]!;
          units.push({ problem, strategy, seed, budgets: missing.map((c) => c.budget), options: { ...largest.options, seed } });
        } else {
          for (const c of missing) units.push({ problem, strategy, seed, budgets: [c.budget], options: { ...c.options, seed } });
        }
      }
    }
  }
  return { units, totalRecords, skipped };
}

/** A strategy's options at one budget, with widths fitted to small budgets; a string says why it cannot run. */
export function cellOptions(config: EvalConfig, strategy: string, budget: number): AnyStrategyOptions | string {
  const base: AnyStrategyOptions = {
    budget: { generations: budget },
    seed: 0,
    temperature: config.temperature,
    maxTokens: config.maxTokens,
    maxStepTokens: config.maxStepTokens,
    maxSteps: config.maxSteps,
    aggregation: config.aggregation,
  };
  switch (strategy) {
    case GREEDY:
      return { ...base, temperature: 0, budget: { generations: 1 } };
    case "beam-search":
    case "dvts": {
      const width = Math.min(config.beamWidth, budget);
      if (budget % width !== 0) return `budget ${budget} is not a multiple of the beam width ${width}`;
      return { ...base, beamWidth: width };
    }
    case "lookahead": {
      const beams = Math.floor(budget / (config.lookahead + 1));
      if (beams < 1) return `lookahead ${config.lookahead} needs a budget of at least ${config.lookahead + 1}`;
      const width = Math.min(config.beamWidth, beams);
      return { ...base, beamWidth: width, lookahead: config.lookahead };
    }
    case "revisions": {
      const chainLength = Math.min(config.chainLength, budget);
      if (budget % chainLength !== 0) return `budget ${budget} is not a multiple of the chain length ${chainLength}`;
      return { ...base, chainLength };
    }
    default:
      return base;
  }
}
