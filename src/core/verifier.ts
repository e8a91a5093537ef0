import type { Problem } from "./problem.js";
import type { Usage } from "./usage.js";

export interface ScoreRequest {
  problem: Problem;
  /** The candidate's steps so far (without delimiters). */
  steps: readonly string[];
  /**
   * Results a verifier remembers are shared only between requests of the same scope, so what a
   * caller is charged never depends on which other callers scored the same text first. A search run
   * needs none: its RequestScope already keeps the memo its own. Requests without one share.
   */
  scope?: string;
}

export interface ScoreResult {
  /**
   * Per request, in order: one score in [0, 1] per step for process reward models;
   * a single score for outcome verifiers (read it with the `last` aggregation).
   */
  stepScores: number[][];
  /**
   * Requests the verifier could not score in full, and why (the text does not fit its context, a
   * read point falls inside a token, …). Their `stepScores` hold only the steps read before the
   * first unreadable one. Absent when every request was scored.
   */
  unscored?: { index: number; reason: string }[];
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
