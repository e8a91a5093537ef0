import { OpenAIRequestError } from "../backends/openai/errors/openai-request-error.js";
import { AbortedError } from "../core/errors/aborted-error.js";
import { ContextOverflowError } from "../core/errors/context-overflow-error.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import { ApiError, badRequest } from "./errors/api-error.js";
import { requestFieldOf } from "./plan-run.js";

/**
 * What a client is told of a failure. Request mistakes found by the library (a beam width that does
 * not divide the budget) become 400s naming the request field; an upstream backend that failed
 * after its retries a 502; a cancelled search a 503; anything else a 500.
 */
export function toApiError(error: unknown, questionParam: string): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof InvalidOptionError) {
    const param = requestFieldOf(error.field);
    return badRequest(param, `${param}: ${JSON.stringify(error.value) ?? "missing"} is not accepted here; expected ${error.accepted}`);
  }
  if (error instanceof ContextOverflowError) {
    return badRequest(questionParam, `${questionParam}: the question does not fit the model's context (${error.message})`, "context_length_exceeded");
  }
  if (error instanceof OpenAIRequestError) {
    return new ApiError({ status: 502, type: "server_error", code: "upstream_error", message: `a backend failed after ${error.attempts} attempts: ${error.message}`, cause: error });
  }
  if (error instanceof AbortedError) {
    return new ApiError({ status: 503, type: "service_unavailable", code: "cancelled", message: "the search was cancelled (the server is shutting down)", cause: error });
  }
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new ApiError({ status: 500, type: "server_error", code: "internal_error", message: `internal error: ${detail}`, cause: error });
}
