import type { CalibrationTable } from "./calibration-table.js";
import { accuracyOn, meanOf, type CalibrationAxis, type CrossValidated } from "./choose-policy.js";

/** Compute-optimal against weighted best-of-N at its largest budget, on one compute axis. */
export interface VersusBestOfN {
  axis: CalibrationAxis;
  /** Weighted best-of-N at the largest budget calibrated: its accuracy and mean compute per problem. */
  reference: { budget: number; accuracy: number; generations: number; flops: number };
  /** The cheapest budget (on `axis`) at which compute-optimal's cross-validated accuracy reaches the reference's, or null. */
  match: CrossValidated | null;
  /** How many times less compute the match spends than the reference, on each axis. */
  fewer: { generations: number; flops: number } | null;
}

/**
 * The published comparison: how much less compute compute-optimal needs to match weighted
 * best-of-N at its largest budget, counted in generations (the paper's axis) or in processed FLOPs
 * (what an engine with a prefix cache pays). The match is the cheapest on `axis`.
 * @example versusBestOfN(table, choosePolicy(table).crossValidated, "processedFlops")
 */
export function versusBestOfN(table: CalibrationTable, crossValidated: readonly CrossValidated[], axis: CalibrationAxis): VersusBestOfN | null {
  const ids = table.problems.map((p) => p.id);
  const plain = table.configs.filter((c) => c.strategy === "weighted-best-of-n" && Object.keys(c.options).length === 0 && ids.every((id) => c.outcomes.has(id)));
  if (plain.length === 0) return null;
  const largest = plain.reduce((a, b) => (b.budget > a.budget ? b : a));
  const reference = { budget: largest.budget, accuracy: accuracyOn(largest, ids), generations: meanOf(largest, ids, "generations"), flops: meanOf(largest, ids, "flops") };
  const field = axis === "generations" ? "generations" : "flops";
  const match = [...crossValidated].sort((a, b) => a[field] - b[field] || a.budget - b.budget).find((c) => c.accuracy >= reference.accuracy) ?? null;
  return { axis, reference, match, fewer: match ? { generations: reference.generations / match.generations, flops: reference.flops / match.flops } : null };
}
