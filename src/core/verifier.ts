import type { Problem } from "./problem.js";
import type { Usage } from "./usage.js";

export interface ScoreRequest {
  problem: Problem;
  /** The candidate's steps so far (without delimiters). */
  steps: readonly string[];
}

export interface ScoreResult {
  /**
   * Per request, in order: one score in [0, 1] per step for process reward models;
   * a single score for outcome verifiers (read it with the `last` aggregation).
   */
  stepScores: number[][];
  /** Compute this call spent. */
  usage: Usage;
}

/** Scores candidate solutions. Takes many candidates at once so backends can batch them. */
export interface Verifier {
  /** Model identifier used as the key of usage records. */
  readonly modelId: string;
  /** `process`: a score per step; `outcome`: one score per solution. */
  readonly kind: "process" | "outcome";
  score(requests: readonly ScoreRequest[], signal?: AbortSignal): Promise<ScoreResult>;
}
