import { shuffled } from "../core/rng.js";
import type { CalibratedConfig, CalibrationTable } from "./calibration-table.js";
import { binOfScore, type ComputeOptimalPolicy, type PolicyChoice } from "./policy.js";

export interface ChooseOptions {
  /** Difficulty bins (quantiles of the predicted score; default 5). */
  bins?: number;
  /** Folds of cross-validation (default 2, as in the published work). */
  folds?: number;
  seed?: number;
  /** What breaks ties between equally accurate configurations: fewer processed FLOPs (default) or fewer generations. */
  axis?: CalibrationAxis;
}

/** The compute a calibration compares by: generations (the published budget) or processed FLOPs. */
export type CalibrationAxis = "generations" | "processedFlops";

/** Held-out figures at one total budget. */
export interface CrossValidated {
  budget: number;
  accuracy: number;
  /** Mean solutions begun per problem (early stopping spends less than the budget). */
  generations: number;
  /** Mean processed FLOPs per problem. */
  flops: number;
}

/**
 * Chooses, per (difficulty bin, total budget), the configuration with the best accuracy on the
 * bin's problems among those that spend at most that budget (ties: less compute on `axis`, then on the other). Cross-validation
 * chooses on all folds but one and scores the held-out fold, so the reported accuracy is honest;
 * the returned choices are then made on every problem.
 */
export function choosePolicy(table: CalibrationTable, { bins = 5, folds = 2, seed = 0, axis = "processedFlops" }: ChooseOptions = {}): { choices: PolicyChoice[]; edges: number[]; crossValidated: CrossValidated[] } {
  const bestConfig = (configs: readonly CalibratedConfig[], ids: readonly string[], budget: number) => bestWithin(configs, ids, budget, axis);
  const ids = table.problems.map((p) => p.id);
  const budgets = [...new Set(table.configs.map((c) => c.budget))].sort((a, b) => a - b);
  const foldOf = foldsOf(ids, folds, seed);
  const held = new Map<number, { correct: number; generations: number; flops: number; n: number }>();
  for (let f = 0; f < folds; f++) {
    const train = table.problems.filter((p) => foldOf.get(p.id) !== f);
    const test = table.problems.filter((p) => foldOf.get(p.id) === f);
    const edges = quantileEdges(train.map((p) => p.predictedScore), bins);
    for (const budget of budgets) {
      const acc = held.get(budget) ?? { correct: 0, generations: 0, flops: 0, n: 0 };
      for (let bin = 1; bin <= bins; bin++) {
        const trainIds = train.filter((p) => binOfScore(edges, p.predictedScore) === bin).map((p) => p.id);
        const best = bestConfig(table.configs, trainIds, budget) ?? bestConfig(table.configs, train.map((p) => p.id), budget);
        if (!best) continue;
        for (const p of test.filter((q) => binOfScore(edges, q.predictedScore) === bin)) {
          const outcome = best.outcomes.get(p.id);
          if (!outcome) continue;
          acc.correct += outcome.correct ? 1 : 0;
          acc.generations += outcome.generations;
          acc.flops += outcome.flops;
          acc.n++;
        }
      }
      held.set(budget, acc);
    }
  }
  const edges = quantileEdges(table.problems.map((p) => p.predictedScore), bins);
  const choices: PolicyChoice[] = [];
  for (let bin = 1; bin <= bins; bin++) {
    const inBin = table.problems.filter((p) => binOfScore(edges, p.predictedScore) === bin).map((p) => p.id);
    for (const budget of budgets) {
      const best = bestConfig(table.configs, inBin, budget) ?? bestConfig(table.configs, ids, budget);
      if (!best) continue;
      choices.push({
        bin,
        budget,
        strategy: best.strategy,
        options: best.options,
        ...(best.runBudget !== best.budget ? { runBudget: best.runBudget } : {}),
        accuracy: accuracyOn(best, inBin),
        problems: inBin.length,
      });
    }
  }
  const crossValidated = budgets.map((budget) => {
    const a = held.get(budget)!;
    return { budget, accuracy: a.n ? a.correct / a.n : 0, generations: a.n ? a.generations / a.n : 0, flops: a.n ? a.flops / a.n : 0 };
  });
  return { choices, edges, crossValidated };
}

/** Each problem's cross-validation fold (0 … folds − 1): a seeded shuffle dealt round-robin. */
export function foldsOf(ids: readonly string[], folds: number, seed: number): Map<string, number> {
  return new Map(shuffled(ids, seed).map((id, i) => [id, i % folds]));
}

/** Assembles the policy file from a choice, for `ponder calibrate` to write. */
export function toPolicy(
  chosen: ReturnType<typeof choosePolicy>,
  meta: { models: ComputeOptimalPolicy["models"]; probeSamples: number; dataset: string; problems: number; folds: number; seed: number; notes?: string },
): ComputeOptimalPolicy {
  return {
    format: "ponder.compute-optimal-policy",
    version: 1,
    createdAt: new Date().toISOString(),
    models: meta.models,
    probe: { samples: meta.probeSamples },
    bins: { count: chosen.edges.length + 1, edges: chosen.edges },
    choices: chosen.choices,
    calibration: {
      dataset: meta.dataset,
      problems: meta.problems,
      folds: meta.folds,
      seed: meta.seed,
      crossValidatedAccuracy: Object.fromEntries(chosen.crossValidated.map((c) => [String(c.budget), c.accuracy])),
      ...(meta.notes ? { notes: meta.notes } : {}),
    },
  };
}

/** Cut points between `bins` equal-count groups of scores, ascending (duplicates allowed). */
export function quantileEdges(scores: readonly number[], bins: number): number[] {
  const sorted = [...scores].sort((a, b) => a - b);
  if (sorted.length === 0) return Array.from({ length: bins - 1 }, () => 0);
  return Array.from({ length: bins - 1 }, (_, i) => sorted[Math.min(sorted.length - 1, Math.floor(((i + 1) * sorted.length) / bins))]!);
}

function bestWithin(configs: readonly CalibratedConfig[], ids: readonly string[], budget: number, axis: CalibrationAxis): CalibratedConfig | undefined {
  if (ids.length === 0) return undefined;
  const [first, second] = axis === "generations" ? (["generations", "flops"] as const) : (["flops", "generations"] as const);
  let best: CalibratedConfig | undefined;
  let bestKey: number[] = [-1];
  for (const c of configs) {
    if (c.budget > budget || !ids.every((id) => c.outcomes.has(id))) continue;
    const key = [accuracyOn(c, ids), -meanOf(c, ids, first), -meanOf(c, ids, second), -c.budget];
    const better = key.findIndex((k, i) => k !== bestKey[i]);
    if (better >= 0 && key[better]! > (bestKey[better] ?? -Infinity)) [best, bestKey] = [c, key];
  }
  return best;
}

export function accuracyOn(c: CalibratedConfig, ids: readonly string[]): number {
  return ids.length === 0 ? 0 : ids.filter((id) => c.outcomes.get(id)?.correct).length / ids.length;
}

export function meanOf(c: CalibratedConfig, ids: readonly string[], field: "flops" | "generations"): number {
  return ids.reduce((sum, id) => sum + (c.outcomes.get(id)?.[field] ?? 0), 0) / ids.length;
}
