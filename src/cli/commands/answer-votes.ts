import { tallyAnswers } from "../../aggregation/vote.js";
import { formatTable } from "../../report/format-table.js";
import type { StrategyResult } from "../../strategies/strategy.js";

/** One distinct answer among a result's candidates, and the support it had. */
export interface AnswerVote {
  answer: string;
  /** Candidates stating it (its majority vote). */
  candidates: number;
  /** Sum of their scores (its weighted vote); 0 when nothing scored them. */
  scoreSum: number;
  /** Its single best score (best-of-N's criterion). */
  bestScore: number;
  /** Whether it is the result's answer. */
  chosen: boolean;
}

/** The vote per answer, most supported first, so a reader sees why the answer won (and why a top-scored stray did not). */
export function answerVotes(result: StrategyResult): AnswerVote[] {
  return tallyAnswers(result.candidates)
    .map((t) => ({ answer: result.candidates[t.first]!.answer!, candidates: t.count, scoreSum: t.weight, bestScore: t.best, chosen: t.answerKey === result.answerKey }))
    .sort((a, b) => b.candidates - a.candidates || b.scoreSum - a.scoreSum);
}

/** The votes as a table, the chosen answer marked. */
export function formatVotes(votes: readonly AnswerVote[], scored: boolean): string {
  const header = scored ? ["answer", "candidates", "score sum", "best score", ""] : ["answer", "candidates", ""];
  const rows = votes.map((v) => [v.answer, String(v.candidates), ...(scored ? [v.scoreSum.toFixed(3), v.bestScore.toFixed(3)] : []), v.chosen ? "← chosen" : ""]);
  return formatTable(header, rows, "text");
}
