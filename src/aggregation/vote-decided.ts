import type { Candidate } from "../core/candidate.js";
import { betaCdf } from "./beta.js";
import { tallyAnswers, type VoteRule } from "./vote.js";

/**
 * Whether drawing more samples would likely change the vote's winner, so sampling can stop early.
 * Decided for certain when the leader's margin exceeds what the remaining samples could add to any
 * rival (each adds at most 1: one vote, or a score ≤ 1); decided with `confidence` when, treating the
 * votes (or scores) so far as Beta pseudo-counts for "the leader" against "any other answer",
 * P(the leader holds more than half the mass) ≥ confidence. Candidates without an answer count against the leader.
 */
export function voteDecided(candidates: readonly Candidate[], rule: Exclude<VoteRule, "best">, remaining: number, confidence: number): boolean {
  if (remaining <= 0) return true;
  const tallies = tallyAnswers(candidates);
  if (tallies.length === 0) return false;
  const mass = (t: { count: number; weight: number }) => (rule === "majority" ? t.count : t.weight);
  const sorted = tallies.map(mass).sort((a, b) => b - a);
  const leader = sorted[0]!;
  const runnerUp = sorted[1] ?? 0;
  if (leader - runnerUp > remaining) return true;
  const unanswered = candidates.filter((c) => c.answerKey === null).length;
  const total = candidates.reduce((sum, c) => sum + (c.answerKey === null ? 0 : rule === "majority" ? 1 : (c.score ?? 0)), 0);
  const others = total - leader + unanswered * (rule === "majority" ? 1 : 0.5);
  return 1 - betaCdf(0.5, 1 + leader, 1 + others) >= confidence;
}
