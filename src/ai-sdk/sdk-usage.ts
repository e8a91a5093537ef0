import type { LanguageModelV3Usage } from "@ai-sdk/provider";
import { totalUsage, type Usage } from "../core/usage.js";

/** A call's usage in the AI SDK's shape, with nothing known yet. */
export function emptySdkUsage(): LanguageModelV3Usage {
  return {
    inputTokens: { total: undefined, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: undefined, text: undefined, reasoning: undefined },
  };
}

/** Sum of two counts that a provider may leave unknown: unknown only when both are. */
function plus(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);
}

/** Two usages of the AI SDK's shape added field by field; `raw` is dropped (it has no common shape to add). */
export function addSdkUsage(a: LanguageModelV3Usage, b: LanguageModelV3Usage): LanguageModelV3Usage {
  return {
    inputTokens: {
      total: plus(a.inputTokens.total, b.inputTokens.total),
      noCache: plus(a.inputTokens.noCache, b.inputTokens.noCache),
      cacheRead: plus(a.inputTokens.cacheRead, b.inputTokens.cacheRead),
      cacheWrite: plus(a.inputTokens.cacheWrite, b.inputTokens.cacheWrite),
    },
    outputTokens: {
      total: plus(a.outputTokens.total, b.outputTokens.total),
      text: plus(a.outputTokens.text, b.outputTokens.text),
      reasoning: plus(a.outputTokens.reasoning, b.outputTokens.reasoning),
    },
  };
}

/**
 * ponder's usage in the AI SDK's shape: every prompt token sent (evaluated plus served from the
 * KV cache) as input, the cached ones as `cacheRead`; ponder's own per-model figures (generations,
 * FLOPs, wall time) ride along in `raw`.
 */
export function toSdkUsage(usage: Usage): LanguageModelV3Usage {
  const t = totalUsage(usage);
  return {
    inputTokens: { total: t.promptTokens + t.cachedPromptTokens, noCache: t.promptTokens, cacheRead: t.cachedPromptTokens, cacheWrite: undefined },
    outputTokens: { total: t.completionTokens, text: t.completionTokens, reasoning: undefined },
    raw: { ponder: usageJson(usage) },
  };
}

/** A model's usage as JSON: its counts, and per replica of a replica set the replica's counts. */
export type ModelUsageJson = { [field: string]: number | { [replica: string]: { [field: string]: number } } };

/** ponder's usage as a plain JSON object, for `raw` and provider metadata. */
export function usageJson(usage: Usage): { [model: string]: ModelUsageJson } {
  return Object.fromEntries(
    Object.entries(usage).map(([model, { replicas, ...counts }]) => {
      const json: ModelUsageJson = { ...counts };
      if (replicas) json["replicas"] = Object.fromEntries(Object.entries(replicas).map(([url, r]) => [url, { ...r }]));
      return [model, json];
    }),
  );
}
