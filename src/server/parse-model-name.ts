import { ApiError, badRequest } from "./errors/api-error.js";

/** What a model name asks for; absent parts fall back to the request's `ponder` fields, then the server's defaults. */
export interface ModelNameRequest {
  strategy?: string;
  budget?: number;
  /** The upstream policy model to search with, by the name the server gave it. */
  upstream?: string;
}

/** The prefix every served model name starts with. */
export const MODEL_PREFIX = "ponder";

/**
 * Reads a model name of the form `ponder`, `ponder/<strategy>`, `ponder:<budget>` or
 * `ponder/<strategy>:<budget>` (`ponder/beam-search:16`: beam search with 16 generations), each
 * optionally followed by `/<upstream>`, the server's name of the policy model to search with
 * (`ponder/beam-search:16/Qwen/Qwen2.5-1.5B-Instruct`; `ponder//qwen` keeps the default strategy).
 * Throws a 404 for a name that is not ponder's or an upstream the server lacks, and a 400 naming
 * `model` for a malformed one.
 * @example parseModelName("ponder/dvts:32/large", ["dvts", "majority"], ["large"]) // { strategy: "dvts", budget: 32, upstream: "large" }
 */
export function parseModelName(model: string, strategyNames: readonly string[], upstreams: readonly string[] = []): ModelNameRequest {
  const match = /^ponder(?:\/([^:/]*))?(?::([^/]*))?(?:\/(.*))?$/.exec(model);
  if (!match) {
    throw new ApiError({
      status: 404,
      type: "invalid_request_error",
      param: "model",
      code: "model_not_found",
      message: `The model ${JSON.stringify(model)} does not exist; this server serves ${MODEL_PREFIX}/<strategy>:<budget>, e.g. ponder/beam-search:16 (GET /v1/models lists the strategies)`,
    });
  }
  const [, strategy, budgetText, upstream] = match;
  const out: ModelNameRequest = {};
  if (strategy !== undefined && strategy !== "") {
    if (!strategyNames.includes(strategy)) {
      const hint = upstreams.some((u) => `${strategy}${upstream === undefined ? "" : `/${upstream}`}` === u) ? ` (for the upstream model ${strategy}${upstream === undefined ? "" : `/${upstream}`} with the default strategy, write ponder//${strategy}${upstream === undefined ? "" : `/${upstream}`})` : "";
      throw badRequest("model", `model ${JSON.stringify(model)}: unknown strategy ${JSON.stringify(strategy)}; this server offers ${strategyNames.join(", ")}${hint}`, "model_not_found");
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
  if (upstream !== undefined) out.upstream = checkUpstream(upstream, upstreams, "model");
  return out;
}

/** An upstream model's name checked against the server's; a 404 naming `param` and the served ones when unknown. */
export function checkUpstream(upstream: string, upstreams: readonly string[], param: string): string {
  if (upstreams.includes(upstream)) return upstream;
  throw new ApiError({
    status: 404,
    type: "invalid_request_error",
    param,
    code: "model_not_found",
    message: `${param}: no upstream model ${JSON.stringify(upstream)} on this server; it serves ${upstreams.length > 0 ? upstreams.join(", ") : "only its default policy (start it with --upstream name=spec to add others)"}`,
  });
}

/** The name of a strategy at a budget (on an upstream model), as `parseModelName` reads it. */
export function modelName(strategy: string, budget?: number, upstream?: string): string {
  return `${MODEL_PREFIX}/${strategy}${budget === undefined ? "" : `:${budget}`}${upstream === undefined ? "" : `/${upstream}`}`;
}
