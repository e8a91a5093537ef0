import { shuffled } from "../../core/rng.js";
import type { EvalRecord } from "../eval-record.js";
import { mean } from "./bootstrap-accuracy.js";
import { cellsOf, outcomesByProblem, type Cell } from "./cell-outcomes.js";
import type { BinAssignment } from "./difficulty-bins.js";

/** The compute-optimal policy's accuracy at one budget. */
export interface ComputeOptimalPoint {
  budget: number;
  /** Accuracy on held-out problems when each bin uses the strategy that was best on the other fold. */
  accuracy: number;
  /** Strategy chosen per bin when choosing on all problems (for reading, not for the accuracy). */
  choices: Record<number, string>;
}

/**
 * Compute-optimal scaling: at each budget, each difficulty bin gets the strategy with the best
 * accuracy in that bin. Choosing and scoring on the same problems flatters it, so, as in the
 * published work, the choice is made on one half of the problems and scored on the other (two
 * folds, split by `seed`), and the two halves' accuracies are averaged.
 */
export function computeOptimal(records: readonly EvalRecord[], bins: readonly BinAssignment[], seed: number): ComputeOptimalPoint[] {
  const binOf = new Map(bins.map((b) => [b.problemId, b.bin]));
  const cells = cellsOf(records).filter((c) => c.budget > 0);
  const ids = shuffled([...binOf.keys()].sort(), seed);
  const folds = [new Set(ids.filter((_, i) => i % 2 === 0)), new Set(ids.filter((_, i) => i % 2 === 1))];
  const budgets = [...new Set(cells.map((c) => c.budget))].sort((a, b) => a - b);
  const binNumbers = [...new Set(bins.map((b) => b.bin))].sort((a, b) => a - b);
  return budgets.map((budget) => {
    const atBudget = cells.filter((c) => c.budget === budget);
    const choose = (bin: number, problems: Set<string> | null) => best(atBudget, (id) => binOf.get(id) === bin && (problems === null || problems.has(id)));
    const foldAccuracies = folds.map((test, f) => {
      const train = folds[1 - f]!;
      const outcomes: number[] = [];
      for (const bin of binNumbers) {
        const cell = choose(bin, train);
        if (!cell) continue;
        for (const o of outcomesByProblem(cell.records, (id) => binOf.get(id) === bin && test.has(id)).values()) outcomes.push(fraction(o));
      }
      return { accuracy: mean(outcomes), problems: outcomes.length };
    });
    const weighted = foldAccuracies.filter((f) => f.problems > 0);
    const accuracy = weighted.reduce((s, f) => s + f.accuracy * f.problems, 0) / weighted.reduce((s, f) => s + f.problems, 0);
    const choices = Object.fromEntries(binNumbers.map((bin) => [bin, choose(bin, null)?.strategy ?? "none"]));
    return { budget, accuracy, choices };
  });
}

/** The cell with the highest accuracy on the problems `keep` accepts; ties go to the first strategy. */
function best(cells: readonly Cell[], keep: (problemId: string) => boolean): Cell | null {
  let winner: Cell | null = null;
  let winnerAccuracy = -1;
  for (const cell of cells) {
    const perProblem = [...outcomesByProblem(cell.records, keep).values()].map(fraction);
    if (perProblem.length === 0) continue;
    const accuracy = mean(perProblem);
    if (accuracy > winnerAccuracy) [winner, winnerAccuracy] = [cell, accuracy];
  }
  return winner;
}

function fraction(outcomes: readonly boolean[]): number {
  return outcomes.filter(Boolean).length / outcomes.length;
}

/** The points no other point beats on both axes: more accuracy for no more compute. Sorted by compute. */
export function paretoFrontier<T extends { compute: number; accuracy: number }>(points: readonly T[]): T[] {
  const sorted = [...points].filter((p) => Number.isFinite(p.compute) && Number.isFinite(p.accuracy)).sort((a, b) => a.compute - b.compute || b.accuracy - a.accuracy);
  const out: T[] = [];
  for (const p of sorted) if (out.length === 0 || p.accuracy > out[out.length - 1]!.accuracy) out.push(p);
  return out;
}
