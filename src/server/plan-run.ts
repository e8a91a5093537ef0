import type { ComputeOptimalPolicy } from "../compute-optimal/policy.js";
import type { AnyStrategyOptions, StrategyEntry } from "../strategies/index.js";
import { checkCap, type ComputeLimits } from "./compute-limits.js";
import { badRequest } from "./errors/api-error.js";
import { parseModelName } from "./parse-model-name.js";
import { firstCallTokens } from "../strategies/first-call-tokens.js";
import type { PonderFields } from "./request-schemas.js";

/** The request fields that decide what runs. */
export interface RunRequest {
  model: string;
  ponder?: PonderFields | undefined;
  seed?: number | null | undefined;
  temperature?: number | null | undefined;
  top_p?: number | null | undefined;
  /** `max_tokens` (or chat's `max_completion_tokens`), and which of the two the request used. */
  maxTokens?: { value: number; param: string } | undefined;
}

/** What the server offers. */
export interface RunContext {
  strategies: Readonly<Record<string, StrategyEntry>>;
  hasVerifier: boolean;
  policy?: ComputeOptimalPolicy | undefined;
  defaults: { strategy: string; budget: number; seed: number };
  limits: ComputeLimits;
}

/** A strategy run, ready to start. */
export interface RunPlan {
  strategy: string;
  entry: StrategyEntry;
  options: AnyStrategyOptions;
  /** The model name to echo back: the canonical `ponder/<strategy>:<budget>`. */
  model: string;
  includeCandidates: boolean;
}

/** Strategy and options fields of `ponder`, mapped to the library's option names. */
export const OPTION_FIELDS = {
  beam_width: "beamWidth",
  lookahead: "lookahead",
  chain_length: "chainLength",
  context_attempts: "contextAttempts",
  selection: "selection",
  stop_when_decided: "stopWhenDecided",
  wave: "wave",
  aggregation: "aggregation",
  max_steps: "maxSteps",
  max_step_tokens: "maxStepTokens",
  drop_duplicates: "dropDuplicates",
} as const satisfies Partial<Record<keyof PonderFields, keyof AnyStrategyOptions>>;

/**
 * Decides what a request runs: strategy and budget from `ponder` fields, else the model name, else
 * the server's defaults; every figure checked against the per-request compute caps.
 * @example planRun({ model: "ponder/beam-search:16" }, context).options.budget // { generations: 16, tokens: 65536 }
 */
export function planRun(request: RunRequest, context: RunContext): RunPlan {
  const { limits, defaults } = context;
  const named = parseModelName(request.model, Object.keys(context.strategies));
  const ponder = request.ponder ?? {};
  const strategy = ponder.strategy ?? named.strategy ?? defaults.strategy;
  const strategyParam = ponder.strategy !== undefined ? "ponder.strategy" : "model";
  const entry = context.strategies[strategy];
  if (!entry) throw badRequest(strategyParam, `${strategyParam}: unknown strategy ${JSON.stringify(strategy)}; this server offers ${Object.keys(context.strategies).join(", ")}`);
  if (entry.needsVerifier && !context.hasVerifier) {
    throw badRequest(strategyParam, `${strategyParam}: ${strategy} needs a verifier and this server has none; start it with --verifier, or use majority or revisions`);
  }
  if (strategy === "auto" && !context.policy) {
    throw badRequest(strategyParam, `${strategyParam}: auto needs a compute-optimal policy; start the server with --compute-policy <file> (ponder calibrate writes one)`);
  }

  const budget = ponder.budget ?? named.budget ?? defaults.budget;
  checkCap(budget, limits.maxBudget, ponder.budget !== undefined ? "ponder.budget" : "model", "generations");
  const tokens = ponder.token_budget ?? limits.maxRequestTokens;
  checkCap(tokens, limits.maxRequestTokens, "ponder.token_budget", "tokens");
  if (request.maxTokens) checkCap(request.maxTokens.value, limits.maxTokens, request.maxTokens.param, "tokens per solution");
  if (ponder.max_step_tokens !== undefined) checkCap(ponder.max_step_tokens, limits.maxTokens, "ponder.max_step_tokens", "tokens per step");

  const options: AnyStrategyOptions = { budget: { generations: budget, tokens }, seed: request.seed ?? defaults.seed };
  if (request.temperature != null) options.temperature = request.temperature;
  if (request.top_p != null) options.topP = request.top_p;
  if (request.maxTokens) options.maxTokens = request.maxTokens.value;
  for (const [field, option] of Object.entries(OPTION_FIELDS)) {
    const value = ponder[field as keyof typeof OPTION_FIELDS];
    if (value !== undefined) (options as unknown as Record<string, unknown>)[option] = value;
  }
  if (strategy === "auto") options.policy = context.policy;
  checkTokenBudget(strategy, options, ponder.token_budget !== undefined, limits);
  return { strategy, entry, options, model: `ponder/${strategy}:${budget}`, includeCandidates: ponder.include_candidates === true };
}

/**
 * Refuses a token budget too small for the strategy's first round, which would start nothing and
 * answer empty: naming `ponder.token_budget` and its minimum when the request set it, else the
 * fields whose size asks for more than this server's per-request cap.
 */
function checkTokenBudget(strategy: string, options: AnyStrategyOptions, requested: boolean, limits: ComputeLimits): void {
  const needed = firstCallTokens(strategy, options);
  const tokens = options.budget.tokens!;
  if (tokens >= needed) return;
  if (requested) {
    throw badRequest("ponder.token_budget", `ponder.token_budget: ${tokens} is too small for ${strategy} to start; its first round may generate ${needed} tokens, so give at least ${needed}`, "token_budget_too_small");
  }
  throw badRequest(
    "ponder.budget",
    `ponder.budget: ${strategy} at budget ${options.budget.generations} may generate ${needed} tokens in its first round, more than this server's per-request cap of ${limits.maxRequestTokens}; lower the budget, max_tokens or ponder.max_step_tokens`,
    "compute_cap_exceeded",
  );
}

/** The request field behind a library option, for errors a strategy raises about its options. */
export function requestFieldOf(option: string): string {
  if (option === "budget.generations") return "ponder.budget";
  if (option === "budget.tokens") return "ponder.token_budget";
  if (option === "maxTokens" || option === "sampling.maxTokens") return "max_tokens";
  if (option === "temperature" || option === "sampling.temperature") return "temperature";
  if (option === "topP" || option === "sampling.topP") return "top_p";
  if (option === "seed" || option === "sampling.seed") return "seed";
  const field = Object.entries(OPTION_FIELDS).find(([, name]) => name === option)?.[0];
  return field ? `ponder.${field}` : option;
}
