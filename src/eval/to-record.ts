import type { Candidate } from "../core/candidate.js";
import type { Problem } from "../core/problem.js";
import type { StrategyResult } from "../strategies/strategy.js";
import type { EvalRecord, RecordedCandidate } from "./eval-record.js";

/** Decides whether a stated answer equals the gold one. */
export type Grader = (gold: string, answer: string, answerKey: string) => boolean;

/**
 * A strategy's result as a stored record, each candidate graded. Answers are graded once per
 * canonical key, since a grader may be slow (symbolic comparison) and candidates repeat answers.
 */
export function toRecord(problem: Problem, seed: number, result: StrategyResult, grade: Grader, delimiter: string): EvalRecord {
  const gold = problem.answer ?? null;
  const verdicts = new Map<string, boolean>();
  const isCorrect = (answer: string | null, key: string | null): boolean => {
    if (gold === null || answer === null || key === null) return false;
    let verdict = verdicts.get(key);
    if (verdict === undefined) verdicts.set(key, (verdict = grade(gold, answer, key)));
    return verdict;
  };
  const candidates = result.candidates.map((c): RecordedCandidate => recordCandidate(c, isCorrect(c.answer, c.answerKey), delimiter));
  return {
    problemId: problem.id,
    ...(problem.level !== undefined ? { level: problem.level } : {}),
    strategy: result.strategy,
    budget: result.budget.generations,
    seed,
    answer: result.answer,
    answerKey: result.answerKey,
    gold,
    correct: isCorrect(result.answer, result.answerKey),
    candidates,
    usage: result.usage,
    stoppedBy: result.stoppedBy,
    subsampled: false,
    details: result.details,
  };
}

function recordCandidate(c: Candidate, correct: boolean, delimiter: string): RecordedCandidate {
  return {
    text: c.steps.join(delimiter),
    finishReason: c.finishReason,
    answer: c.answer,
    answerKey: c.answerKey,
    ...(c.score !== undefined ? { score: c.score } : {}),
    ...(c.unscored !== undefined ? { unscored: c.unscored } : {}),
    correct,
  };
}
