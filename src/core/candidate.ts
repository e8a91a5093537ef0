import type { Usage } from "./usage.js";

/** One candidate solution, as strategies build and return them. */
export interface Candidate {
  /** Solution steps, without delimiters. */
  steps: string[];
  /**
   * How generation stopped: `end` complete, `length` cut off (at a token limit, at the end of the
   * model's context, or because the verifier could not read further), `step` abandoned mid-solution
   * (pruned, stopped early or out of budget).
   */
  finishReason: "step" | "end" | "length";
  /** Final answer extracted from the steps, or null. */
  answer: string | null;
  /** Canonical form of `answer`, the key votes group by; null with no answer. */
  answerKey: string | null;
  /** Verifier score per step, when a verifier scored it. */
  stepScores?: number[];
  /** Solution score aggregated from `stepScores`, when scored. */
  score?: number;
  /** Why the verifier could not score this candidate (its text does not fit the verifier's context, …); it then has no `score`. */
  unscored?: string;
  /** Compute spent generating this candidate alone (whole-solution sampling), so evaluation can subsample N. */
  usage?: Usage;
}
