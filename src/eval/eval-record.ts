import type { Usage } from "../core/usage.js";

/** One candidate as stored: enough to re-vote, re-grade and study it without a model. */
export interface RecordedCandidate {
  /** The solution text, steps joined by the generator's delimiter. */
  text: string;
  finishReason: "step" | "end" | "length";
  answer: string | null;
  answerKey: string | null;
  /** Solution score from the verifier, when it scored this candidate. */
  score?: number;
  /** Why the verifier could not score it, when it could not. */
  unscored?: string;
  /** Whether `answer` equals the gold answer (false without an answer or without gold). */
  correct: boolean;
}

/** One line of a run's results file: a strategy's outcome on one problem at one budget and seed. */
export interface EvalRecord {
  problemId: string;
  /** The dataset's difficulty level, when it has one. */
  level?: number;
  strategy: string;
  /** The generation budget N. */
  budget: number;
  seed: number;
  /** The selected answer, or null when no candidate stated one. */
  answer: string | null;
  answerKey: string | null;
  gold: string | null;
  correct: boolean;
  candidates: RecordedCandidate[];
  /** Compute spent, per model; for a subsampled budget, the share that budget would have cost. */
  usage: Usage;
  /** `error`: the strategy failed on this problem for a reason that would recur (see `error`); the record counts as wrong. */
  stoppedBy: "complete" | "budget" | "error";
  /** True when this budget's outcome was computed from the first N samples of a run at a larger budget. */
  subsampled: boolean;
  details: Record<string, number | string | boolean>;
  /** Why the strategy could not run on this problem (the question does not fit the policy's context, …), when it could not. */
  error?: { name: string; message: string };
}

/** The identity of a record: a run holds exactly one record per key. */
export function recordKey(r: Pick<EvalRecord, "problemId" | "strategy" | "budget" | "seed">): string {
  return JSON.stringify([r.problemId, r.strategy, r.budget, r.seed]);
}
