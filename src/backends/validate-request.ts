import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import type { GenerationRequest } from "../core/generator.js";
import { CONFIDENCE_SIGNALS } from "../core/token-confidence.js";

/** Checks a generation request at a backend's edge; throws InvalidOptionError naming the bad field. */
export function validateGenerationRequest(request: GenerationRequest): GenerationRequest {
  const { until, n = 1, sampling } = request;
  const bad = (field: string, value: unknown, accepted: string) => new InvalidOptionError({ field, value, accepted });
  if (typeof request.problem?.question !== "string") throw bad("problem.question", request.problem?.question, "a string");
  if (until !== "step" && until !== "solution") throw bad("until", until, '"step" or "solution"');
  if (!Number.isInteger(n) || n < 1) throw bad("n", n, "an integer ≥ 1");
  if (!sampling) throw bad("sampling", sampling, "an object with temperature, maxTokens and seed");
  if (!(sampling.temperature >= 0)) throw bad("sampling.temperature", sampling.temperature, "a number ≥ 0");
  if (!Number.isInteger(sampling.maxTokens) || sampling.maxTokens < 1) throw bad("sampling.maxTokens", sampling.maxTokens, "an integer ≥ 1");
  if (!Number.isInteger(sampling.seed)) throw bad("sampling.seed", sampling.seed, "an integer");
  if (sampling.topP !== undefined && !(sampling.topP > 0 && sampling.topP <= 1)) throw bad("sampling.topP", sampling.topP, "a number in (0, 1]");
  if (sampling.minP !== undefined && !(sampling.minP >= 0 && sampling.minP < 1)) throw bad("sampling.minP", sampling.minP, "a number in [0, 1)");
  if (sampling.topK !== undefined && !(Number.isInteger(sampling.topK) && sampling.topK >= 0)) throw bad("sampling.topK", sampling.topK, "an integer ≥ 0 (0: off)");
  const { confidence, onToken } = request;
  if (confidence !== undefined && (typeof confidence !== "object" || confidence === null)) throw bad("confidence", confidence, "an object, e.g. { topK: 20 }");
  if (confidence?.signal !== undefined && !CONFIDENCE_SIGNALS.includes(confidence.signal)) throw bad("confidence.signal", confidence.signal, CONFIDENCE_SIGNALS.join(", "));
  if (confidence?.topK !== undefined && !(Number.isInteger(confidence.topK) && confidence.topK >= 1)) throw bad("confidence.topK", confidence.topK, "an integer ≥ 1");
  if (onToken !== undefined && typeof onToken !== "function") throw bad("onToken", onToken, "a function");
  return request;
}
