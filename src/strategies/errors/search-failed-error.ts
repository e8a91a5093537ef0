import { PonderError } from "../../core/errors/ponder-error.js";
import type { Usage } from "../../core/usage.js";

/**
 * A strategy could not finish a problem: a model call failed for a reason that no single
 * candidate explains (the question alone does not fit the policy's context, a backend is down).
 * Names the strategy, the problem and the model, keeps the original error as `cause`, and
 * carries the compute spent before the search stopped.
 */
export class SearchFailedError extends PonderError {
  override name = "SearchFailedError";
  readonly strategy: string;
  readonly problemId: string;
  /** The model whose call failed. */
  readonly modelId: string;
  /** Compute spent before the search stopped. */
  readonly usage: Usage;

  constructor({ strategy, problemId, modelId, usage, cause }: { strategy: string; problemId: string; modelId: string; usage: Usage; cause: unknown }) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    // Model errors often start with the model's name already.
    super(`${strategy} on problem ${JSON.stringify(problemId)}, calling ${modelId}: ${detail.startsWith(`${modelId}: `) ? detail.slice(modelId.length + 2) : detail}`, { cause });
    this.strategy = strategy;
    this.problemId = problemId;
    this.modelId = modelId;
    this.usage = usage;
  }

  /** The same failure with the usage brought up to date (calls still running when it was thrown have since finished). */
  withUsage(usage: Usage): SearchFailedError {
    return new SearchFailedError({ strategy: this.strategy, problemId: this.problemId, modelId: this.modelId, usage, cause: this.cause });
  }
}
