import { OpenAIRequestError } from "../backends/openai/errors/openai-request-error.js";
import { ContextOverflowError } from "../core/errors/context-overflow-error.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import { redactCredentials } from "../core/redact-credentials.js";
import { SearchFailedError } from "../strategies/errors/search-failed-error.js";
import { TokenAlignmentError } from "../verifiers/errors/token-alignment-error.js";
import type { WorkUnit } from "./eval-plan.js";
import type { EvalRecord } from "./eval-record.js";

/**
 * Whether a unit's failure would happen again on a resume: the question does not fit the policy's
 * context, a text the verifier's format cannot read, an option the strategy refuses for this cell,
 * a request an upstream server refuses as malformed. Such a unit is recorded as failed so the run
 * completes. Anything else (a backend down or timing out, a full disk, a bug) stops the run, and
 * running it again retries the unit.
 */
export function recurs(error: unknown): boolean {
  const cause = error instanceof SearchFailedError ? error.cause : error;
  if (cause instanceof ContextOverflowError || cause instanceof TokenAlignmentError || cause instanceof InvalidOptionError) return true;
  return cause instanceof OpenAIRequestError && cause.status !== null && [400, 413, 422].includes(cause.status);
}

/** The records of a unit that failed: one per budget it covers, each wrong, with the error and the compute spent before it. */
export function failedRecords(unit: WorkUnit, error: unknown): EvalRecord[] {
  const usage = error instanceof SearchFailedError ? error.usage : {};
  const name = error instanceof Error ? error.name : "Error";
  const message = redactCredentials(error instanceof Error ? error.message : String(error));
  return unit.budgets.map((budget) => ({
    problemId: unit.problem.id,
    ...(unit.problem.level !== undefined ? { level: unit.problem.level } : {}),
    strategy: unit.strategy,
    budget,
    seed: unit.seed,
    answer: null,
    answerKey: null,
    gold: unit.problem.answer ?? null,
    correct: false,
    candidates: [],
    // A sampling unit runs once at its largest budget; the smaller budgets' records carry none of its compute.
    usage: budget === unit.budgets[unit.budgets.length - 1] ? usage : {},
    stoppedBy: "error",
    subsampled: false,
    details: {},
    error: { name, message },
  }));
}
