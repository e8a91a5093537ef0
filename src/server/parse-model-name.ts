import { ApiError, badRequest } from "./errors/api-error.js";

/** What a model name asks for; absent parts fall back to the request's `ponder` fields, then the server's defaults. */
export interface ModelNameRequest {
  strategy?: string;
  budget?: number;
}

/** The prefix every served model name starts with. */
export const MODEL_PREFIX = "ponder";

/**
 * Reads a model name of the form `ponder`, `ponder/<strategy>`, `ponder:<budget>` or
 * `ponder/<strategy>:<budget>` (`ponder/beam-search:16`: beam search with 16 generations).
 * Throws a 404 for a name that is not ponder's and a 400 naming `model` for a malformed one.
 * @example parseModelName("ponder/dvts:32", ["dvts", "majority"]) // { strategy: "dvts", budget: 32 }
 */
export function parseModelName(model: string, strategyNames: readonly string[]): ModelNameRequest {
  const match = /^ponder(?:\/([^:]*))?(?::(.*))?$/.exec(model);
  if (!match) {
    throw new ApiError({
      status: 404,
      type: "invalid_request_error",
      param: "model",
      code: "model_not_found",
      message: `The model ${JSON.stringify(model)} does not exist; this server serves ${MODEL_PREFIX}/<strategy>:<budget>, e.g. ponder/beam-search:16 (GET /v1/models lists the strategies)`,
    });
  }
  const [, strategy, budgetText] = match;
  const out: ModelNameRequest = {};
  if (strategy !== undefined) {
    if (!strategyNames.includes(strategy)) {
      throw badRequest("model", `model ${JSON.stringify(model)}: unknown strategy ${JSON.stringify(strategy)}; this server offers ${strategyNames.join(", ")}`, "model_not_found");
    }
    out.strategy = strategy;
  }
  if (budgetText !== undefined) {
    const budget = Number(budgetText);
    if (!/^\d+$/.test(budgetText) || !Number.isSafeInteger(budget) || budget < 1) {
      throw badRequest("model", `model ${JSON.stringify(model)}: the budget after ":" must be an integer ≥ 1 (generations), got ${JSON.stringify(budgetText)}`);
    }
    out.budget = budget;
  }
  return out;
}

/** The name of a strategy at a budget, as `parseModelName` reads it. */
export function modelName(strategy: string, budget?: number): string {
  return `${MODEL_PREFIX}/${strategy}${budget === undefined ? "" : `:${budget}`}`;
}
