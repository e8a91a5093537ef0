import { InvalidOptionError } from "../core/errors/invalid-option-error.js";

export const STEP_AGGREGATIONS = ["last", "min", "prod", "mean"] as const;
export type StepAggregation = (typeof STEP_AGGREGATIONS)[number];

/**
 * A solution's score from its step scores. `last` (the score after the final step) worked best
 * in the published work; `min` and `prod` penalise any weak step. An unscored solution scores 0.
 */
export function aggregateStepScores(scores: readonly number[], how: StepAggregation = "last"): number {
  if (scores.length === 0) return 0;
  switch (how) {
    case "last":
      return scores[scores.length - 1]!;
    case "min":
      return Math.min(...scores);
    case "prod":
      return scores.reduce((a, b) => a * b, 1);
    case "mean":
      return scores.reduce((a, b) => a + b, 0) / scores.length;
    default:
      throw new InvalidOptionError({ field: "aggregation", value: how, accepted: STEP_AGGREGATIONS.join(", ") });
  }
}
