import type { ComputeOptimalPolicy } from "../compute-optimal/policy.js";
import type { AnyStrategyOptions, StrategyEntry } from "../strategies/index.js";
import { checkCap, type ComputeLimits } from "./compute-limits.js";
import { badRequest } from "./errors/api-error.js";
import { checkUpstream, modelName, parseModelName } from "./parse-model-name.js";
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
  /** The body's top-level `budget`, for clients that cannot send `ponder`. */
  budget?: number | null | undefined;
  /** The `x-ponder-budget` header, as sent. */
  budgetHeader?: string | undefined;
  /** Choices asked for: independent searches. */
  n?: number | null | undefined;
}

/** The header that may carry a request's generation budget. */
export const BUDGET_HEADER = "x-ponder-budget";

/** What the server offers. */
export interface RunContext {
  strategies: Readonly<Record<string, StrategyEntry>>;
  hasVerifier: boolean;
  policy?: ComputeOptimalPolicy | undefined;
  defaults: { strategy: string; budget: number; seed: number };
  limits: ComputeLimits;
  /** Names of the upstream policy models a request may choose besides the default one. */
  upstreams?: readonly string[];
}

/** A strategy run, ready to start. */
export interface RunPlan {
  strategy: string;
  entry: StrategyEntry;
  options: AnyStrategyOptions;
  /** The model name to echo back: the canonical `ponder/<strategy>:<budget>[/<upstream>]`. */
  model: string;
  includeCandidates: boolean;
  /** The upstream policy model chosen by name, or undefined for the server's default one. */
  upstream?: string | undefined;
  /** Independent searches to answer with (the request's `n`), each with `options` but its own seed. */
  n: number;
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
  keep_percent: "keepPercent",
  warmup: "warmup",
  consensus: "consensus",
  give_up_after: "giveUpAfter",
  confidence_signal: "confidenceSignal",
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
  const upstreams = context.upstreams ?? [];
  const named = parseModelName(request.model, Object.keys(context.strategies), upstreams);
  const ponder = request.ponder ?? {};
  const upstream = ponder.model !== undefined ? checkUpstream(ponder.model, upstreams, "ponder.model") : named.upstream;
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

  const { budget, param: budgetParam } = requestedBudget(request, named.budget, defaults.budget);
  checkCap(budget, limits.maxBudget, budgetParam, "generations");
  const n = request.n ?? 1;
  checkCap(n * budget, limits.maxBudget, "n", `generations (n × ${budget})`);
  // The per-request token cap covers all n searches together.
  const tokens = ponder.token_budget ?? Math.floor(limits.maxRequestTokens / n);
  checkCap(n * tokens, limits.maxRequestTokens, "ponder.token_budget", n > 1 ? `tokens (n × ${tokens})` : "tokens");
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
  checkTokenBudget(strategy, options, ponder.token_budget !== undefined, limits, n);
  return { strategy, entry, options, model: modelName(strategy, budget, upstream), includeCandidates: ponder.include_candidates === true, upstream, n };
}

/**
 * The generation budget and the field it came from: `ponder.budget`, else the body's `budget`, else
 * the `x-ponder-budget` header, else the model name's, else the server's default. Two body fields
 * that disagree are refused rather than one silently winning.
 */
function requestedBudget(request: RunRequest, named: number | undefined, fallback: number): { budget: number; param: string } {
  const fromPonder = request.ponder?.budget;
  const fromBody = request.budget ?? undefined;
  if (fromPonder !== undefined && fromBody !== undefined && fromPonder !== fromBody) {
    throw badRequest("budget", `budget: ${fromBody} disagrees with ponder.budget: ${fromPonder}; send one of them`);
  }
  if (fromPonder !== undefined) return { budget: fromPonder, param: "ponder.budget" };
  if (fromBody !== undefined) return { budget: fromBody, param: "budget" };
  if (request.budgetHeader !== undefined) {
    const value = Number(request.budgetHeader);
    if (!/^\s*\d+\s*$/.test(request.budgetHeader) || !Number.isSafeInteger(value) || value < 1) {
      throw badRequest(BUDGET_HEADER, `${BUDGET_HEADER} header: ${JSON.stringify(request.budgetHeader)} is not an integer ≥ 1 (generations)`);
    }
    return { budget: value, param: BUDGET_HEADER };
  }
  return named !== undefined ? { budget: named, param: "model" } : { budget: fallback, param: "model" };
}

/**
 * Refuses a token budget too small for the strategy's first round, which would start nothing and
 * answer empty: naming `ponder.token_budget` and its minimum when the request set it, else the
 * fields whose size asks for more than this server's per-request cap.
 */
function checkTokenBudget(strategy: string, options: AnyStrategyOptions, requested: boolean, limits: ComputeLimits, n: number): void {
  const needed = firstCallTokens(strategy, options);
  const tokens = options.budget.tokens!;
  if (tokens >= needed) return;
  if (requested) {
    throw badRequest("ponder.token_budget", `ponder.token_budget: ${tokens} is too small for ${strategy} to start; its first round may generate ${needed} tokens, so give at least ${needed}`, "token_budget_too_small");
  }
  throw badRequest(
    "ponder.budget",
    `ponder.budget: ${strategy} at budget ${options.budget.generations} may generate ${needed} tokens in its first round, more than ${n > 1 ? `each of n = ${n} searches may spend of this server's per-request cap of ${limits.maxRequestTokens} (${tokens})` : `this server's per-request cap of ${limits.maxRequestTokens}`}; lower the budget, ${n > 1 ? "n, " : ""}max_tokens or ponder.max_step_tokens`,
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
