/** How strategies read and group final answers; the grading module provides the default. */
export interface AnswerReader {
  /** The final answer stated in a solution text, or null when it states none. */
  extract(solutionText: string): string | null;
  /** Canonical form of an answer: equal answers share it, so votes group by it. */
  canonical(answer: string): string;
}
