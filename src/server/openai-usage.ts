import { processedPromptTokens, totalUsage, type Usage } from "../core/usage.js";
import { computeAxes } from "../eval/metrics/compute-axes.js";

/** One model's share of a request's compute, in OpenAI's snake_case. */
export interface ModelUsageFields {
  generations: number;
  calls: number;
  prompt_tokens: number;
  cached_prompt_tokens: number;
  /** Prompt tokens new to this request (its own earlier calls' prefixes are cache hits): the same whatever else the server ran. */
  processed_prompt_tokens: number;
  completion_tokens: number;
  flops: number;
  wall_ms: number;
  /** For a policy served by a replica set: per replica URL, what it served and the requests that failed over from it. */
  replicas?: Record<string, { calls: number; prompt_tokens: number; cached_prompt_tokens: number; completion_tokens: number; failures: number }>;
}

/**
 * OpenAI's `usage`, extended. The OpenAI fields add up every model the request used (policy,
 * verifier, reviser): `prompt_tokens` counts every prompt token a model read, served from its KV
 * cache or not (`prompt_tokens_details.cached_tokens` says how many were cached), as OpenAI counts.
 */
export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  /** Solutions begun from the question (the generation budget spent). */
  generations: number;
  /** 2 × parameters × tokens the engines evaluated, all models (0 for a backend whose size is unknown); depends on what other requests left in their caches. */
  flops: number;
  /** FLOPs of the tokens processed with this request's own prefixes as cache hits (processed prompt tokens plus completion tokens). */
  processed_flops: number;
  /** FLOPs of every prompt token each time it was sent, plus completion tokens. */
  as_sent_flops: number;
  /** The same figures per model id. */
  models: Record<string, ModelUsageFields>;
}

/** ponder's per-model usage in OpenAI's shape. */
export function toOpenAIUsage(usage: Usage): OpenAIUsage {
  const total = totalUsage(usage);
  const axes = computeAxes(usage);
  const prompt = total.promptTokens + total.cachedPromptTokens;
  const models: Record<string, ModelUsageFields> = {};
  for (const [id, u] of Object.entries(usage)) {
    models[id] = {
      generations: u.generations,
      calls: u.calls,
      prompt_tokens: u.promptTokens + u.cachedPromptTokens,
      cached_prompt_tokens: u.cachedPromptTokens,
      processed_prompt_tokens: processedPromptTokens(u),
      completion_tokens: u.completionTokens,
      flops: u.flops,
      wall_ms: Math.round(u.wallMs),
      ...(u.replicas
        ? {
            replicas: Object.fromEntries(
              Object.entries(u.replicas).map(([url, r]) => [url, { calls: r.calls, prompt_tokens: r.promptTokens + r.cachedPromptTokens, cached_prompt_tokens: r.cachedPromptTokens, completion_tokens: r.completionTokens, failures: r.failures }]),
            ),
          }
        : {}),
    };
  }
  return {
    prompt_tokens: prompt,
    completion_tokens: total.completionTokens,
    total_tokens: prompt + total.completionTokens,
    prompt_tokens_details: { cached_tokens: total.cachedPromptTokens },
    generations: total.generations,
    flops: total.flops,
    processed_flops: axes.processedFlops,
    as_sent_flops: axes.flops,
    models,
  };
}
