import type { AnswerReader } from "../core/answer-reader.js";
import type { Budget } from "../core/budget.js";
import type { Candidate } from "../core/candidate.js";
import type { Generator } from "../core/generator.js";
import type { Problem } from "../core/problem.js";
import type { Usage } from "../core/usage.js";
import type { Verifier } from "../core/verifier.js";
import type { StepAggregation } from "../aggregation/aggregate-step-scores.js";

/** What a strategy runs on. Strategies know nothing of HTTP, tokenizers or prompt templates. */
export interface StrategyDeps {
  generator: Generator;
  /** Required by every strategy that selects or prunes by score. */
  verifier?: Verifier;
  /** The revision model, which writes a new attempt after seeing earlier ones; defaults to `generator`. */
  reviser?: Generator;
  /** Reads final answers and their canonical keys, by which votes group. */
  answers: AnswerReader;
  signal?: AbortSignal;
  /** Progress while the search runs (the CLI prints it, the server streams it). */
  onEvent?: (event: SearchEvent) => void;
}

/** Options every strategy takes; each strategy adds its own. */
export interface CommonOptions {
  budget: Budget;
  /** The same seed gives the same result. */
  seed: number;
  /** Sampling temperature (default 0.8, as in the published experiments). */
  temperature?: number;
  topP?: number;
  /** Upper bound on tokens of a whole solution (default 512). */
  maxTokens?: number;
  /** Upper bound on tokens of one step, for step-wise search (default 128). */
  maxStepTokens?: number;
  /** Upper bound on search rounds, i.e. steps of a solution (default 40). */
  maxSteps?: number;
  /** How step scores become a solution score (default `last`, which worked best in the published work). */
  aggregation?: StepAggregation;
}

export interface StrategyResult {
  /** Strategy name as given to `strategies`. */
  strategy: string;
  /** The selected final answer, or null when no candidate states one. */
  answer: string | null;
  /** Canonical key of `answer`. */
  answerKey: string | null;
  /** The candidate the answer was taken from. */
  chosen: Candidate | null;
  /** Every candidate the strategy ended with, finished or not, in a deterministic order. */
  candidates: Candidate[];
  /** Compute spent, per model. */
  usage: Usage;
  /** The budget the strategy was given. */
  budget: Budget;
  /** `budget` when the budget ran out before the search finished. */
  stoppedBy: "complete" | "budget";
  /** Strategy-specific figures (rounds run, beams kept, …). */
  details: Record<string, number | string | boolean>;
}

/** Progress events of a running search. */
export type SearchEvent =
  | { type: "round"; strategy: string; round: number; active: number; finished: number; bestScore?: number; usage: Usage }
  | { type: "candidates"; strategy: string; count: number; usage: Usage };

/** Every strategy has this shape, so they are chosen by name from one table. */
export type Strategy<O extends CommonOptions = CommonOptions> = (problem: Problem, deps: StrategyDeps, options: O) => Promise<StrategyResult>;
