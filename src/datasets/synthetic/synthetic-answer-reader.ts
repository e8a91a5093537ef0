import type { AnswerReader } from "../../core/answer-reader.js";
import { readFinalAnswer } from "./read-final-answer.js";

/** Reads the synthetic benchmark's answer line ("The answer is N"); answers are integers, compared as such. */
export const syntheticAnswerReader: AnswerReader = {
  extract: (solutionText) => readFinalAnswer(solutionText),
  canonical: (answer) => {
    const n = Number(answer.trim());
    return Number.isFinite(n) ? String(n) : answer.trim();
  },
};

/** Whether a solution's answer line gives the gold answer. */
export function answersGold(solutionText: string, gold: string): boolean {
  const answer = syntheticAnswerReader.extract(solutionText);
  return answer !== null && syntheticAnswerReader.canonical(answer) === syntheticAnswerReader.canonical(gold);
}
