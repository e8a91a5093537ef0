import type { Candidate } from "../core/candidate.js";
import { betaCdf } from "./beta.js";
import { tallyAnswers } from "./vote.js";

/**
 * The leading answer's share of the vote: of candidates stating an answer for `majority`, of their
 * summed scores for `weighted` (DeepConf's consensus β). 0 when nothing votes.
 */
export function leaderShare(candidates: readonly Candidate[], rule: "majority" | "weighted"): number {
  const mass = tallyAnswers(candidates).map((t) => (rule === "majority" ? t.count : t.weight));
  const total = mass.reduce((a, b) => a + b, 0);
  return total > 0 ? Math.max(...mass) / total : 0;
}

/**
 * Adaptive-Consistency's Beta stopping rule (arXiv 2305.11860): with v₁ and v₂ votes for the two
 * most frequent answers, the posterior probability that the first is the more likely of the two,
 * 1 − I₀.₅(v₁ + 1, v₂ + 1). 0 when no candidate states an answer.
 * @example leaderIsModeProbability(fourCandidatesAllSaying7) // 1 − 0.5⁵ ≈ 0.969
 */
export function leaderIsModeProbability(candidates: readonly Candidate[]): number {
  const counts = tallyAnswers(candidates)
    .map((t) => t.count)
    .sort((a, b) => b - a);
  if (counts.length === 0) return 0;
  return 1 - betaCdf(0.5, counts[0]! + 1, (counts[1] ?? 0) + 1);
}

/** Whether the leader's lead in votes exceeds what `remaining` more samples could overturn. */
export function leadIsSafe(candidates: readonly Candidate[], remaining: number): boolean {
  const counts = tallyAnswers(candidates)
    .map((t) => t.count)
    .sort((a, b) => b - a);
  return remaining <= 0 || (counts.length > 0 && counts[0]! - (counts[1] ?? 0) > remaining);
}
