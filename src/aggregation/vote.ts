import type { Candidate } from "../core/candidate.js";

/** Tally of one answer across candidates. */
export interface AnswerTally {
  answerKey: string;
  /** Candidates stating it. */
  count: number;
  /** Sum of their scores (0 when unscored). */
  weight: number;
  /** Highest single score among them. */
  best: number;
  /** Index of the first candidate stating it: the representative, and the deterministic tie-break. */
  first: number;
}

/** Groups candidates that state an answer by its canonical key, in order of first appearance. */
export function tallyAnswers(candidates: readonly Candidate[]): AnswerTally[] {
  const tallies = new Map<string, AnswerTally>();
  candidates.forEach((c, i) => {
    if (c.answerKey === null) return;
    const score = c.score ?? 0;
    const t = tallies.get(c.answerKey);
    if (t) {
      t.count++;
      t.weight += score;
      if (score > t.best) t.best = score;
    } else tallies.set(c.answerKey, { answerKey: c.answerKey, count: 1, weight: score, best: score, first: i });
  });
  return [...tallies.values()];
}

export type VoteRule = "majority" | "weighted" | "best";

/**
 * The winning answer: `majority` by count, `weighted` by summed score (best-of-N weighted),
 * `best` by the single highest score (plain best-of-N). Ties go to the answer seen first.
 * Returns the index of the candidate that represents the winner: the highest-scored among those
 * stating it, or null when no candidate states an answer.
 */
export function vote(candidates: readonly Candidate[], rule: VoteRule): number | null {
  const tallies = tallyAnswers(candidates);
  if (tallies.length === 0) return null;
  const key = (t: AnswerTally) => (rule === "majority" ? t.count : rule === "weighted" ? t.weight : t.best);
  let winner = tallies[0]!;
  for (const t of tallies) if (key(t) > key(winner)) winner = t;
  let chosen = winner.first;
  candidates.forEach((c, i) => {
    if (c.answerKey === winner.answerKey && (c.score ?? 0) > (candidates[chosen]!.score ?? 0)) chosen = i;
  });
  return chosen;
}
