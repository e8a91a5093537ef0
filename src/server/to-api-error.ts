import { OpenAIRequestError } from "../backends/openai/errors/openai-request-error.js";
import { AbortedError } from "../core/errors/aborted-error.js";
import { ContextOverflowError } from "../core/errors/context-overflow-error.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import { redactCredentials } from "../core/redact-credentials.js";
import { SearchFailedError } from "../strategies/errors/search-failed-error.js";
import { ApiError, badRequest } from "./errors/api-error.js";
import { requestFieldOf } from "./plan-run.js";

/**
 * What a client is told of a failure. Request mistakes found by the library (a beam width that does
 * not divide the budget, a question too long for the policy's context) become 400s naming the
 * request field; an upstream backend that failed after its retries a 502; a cancelled search a
 * 503; anything else a 500. Messages that may quote a backend's URL or answer are redacted.
 */
export function toApiError(error: unknown, questionParam: string): ApiError {
  if (error instanceof ApiError) return error;
  // A search that failed names its strategy and model; what the client did wrong is in its cause.
  const cause = error instanceof SearchFailedError ? error.cause : error;
  if (cause instanceof InvalidOptionError) {
    const param = requestFieldOf(cause.field);
    return badRequest(param, `${param}: ${JSON.stringify(cause.value) ?? "missing"} is not accepted here; expected ${cause.accepted}`);
  }
  if (cause instanceof ContextOverflowError) {
    const model = cause.modelId ?? "the policy";
    return badRequest(
      questionParam,
      `${questionParam}: the question does not fit ${model}'s context: its prompt is ${cause.promptTokens} tokens and the context holds ${cause.contextSize}; shorten the question`,
      "context_length_exceeded",
    );
  }
  if (cause instanceof OpenAIRequestError) {
    return new ApiError({ status: 502, type: "server_error", code: "upstream_error", message: redactCredentials(`a backend failed after ${cause.attempts} attempts: ${describe(error)}`), cause: error });
  }
  if (cause instanceof AbortedError) {
    return new ApiError({ status: 503, type: "service_unavailable", code: "cancelled", message: "the search was cancelled (the server is shutting down)", cause: error });
  }
  return new ApiError({ status: 500, type: "server_error", code: "internal_error", message: redactCredentials(`internal error: ${describe(error)}`), cause: error });
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
