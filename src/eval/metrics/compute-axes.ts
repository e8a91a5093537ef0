import { processedPromptTokens, type Usage } from "../../core/usage.js";

/**
 * Compute on the three axes results are compared by, every model counted (policy, verifier,
 * reviser) at its own size:
 *  - generations: solutions begun from the question, the published work's budget;
 *  - processed: tokens an engine with a prefix cache evaluates for the request alone (a prompt
 *    token whose prefix the request already gave the model is a cache hit and costs nothing),
 *    which is what real engines pay for;
 *  - as sent: every prompt token each time a prompt is sent, cached or not.
 * All three are the same whatever the scheduling: processed tokens are counted against what the
 * request itself processed before (PrefixLedger), never against what other requests happened to
 * leave in the engine's cache. (Records from HTTP backends, which see no token ids, carry the
 * server's own cache accounting as processed tokens; records stored before processed tokens were
 * counted fall back to what the engine evaluated.)
 */
export interface ComputeAxes {
  /** Solutions begun from the question (the budget's unit). */
  generations: number;
  /** Prompt tokens new to the request plus tokens generated. */
  processedTokens: number;
  /** 2 × parameters × `processedTokens`, summed over models. */
  processedFlops: number;
  /** As sent: prompt tokens every time they are sent, plus tokens generated. */
  tokens: number;
  /** 2 × parameters × `tokens` (as sent), summed over models. */
  flops: number;
}

/** An axis a plot or a comparison can be drawn on. */
export type ComputeAxis = "generations" | "processedFlops" | "flops";

/** How each axis is named on plots and in tables: its unit, and what it counts. */
export const COMPUTE_AXIS_LABELS: Readonly<Record<ComputeAxis, { name: string; counts: string }>> = {
  generations: { name: "generations", counts: "solutions begun: the budget's unit" },
  processedFlops: { name: "processed FLOPs", counts: "prefix-cache hits excluded" },
  flops: { name: "as-sent FLOPs", counts: "every prompt token each time it is sent" },
};

export function computeAxes(usage: Usage): ComputeAxes {
  const axes = { generations: 0, processedTokens: 0, processedFlops: 0, tokens: 0, flops: 0 };
  for (const u of Object.values(usage)) {
    // FLOPs per token, read back from what the engine evaluated (2 × the model's parameters).
    const evaluated = u.promptTokens + u.completionTokens;
    const perToken = evaluated > 0 ? u.flops / evaluated : 0;
    const processed = processedPromptTokens(u) + u.completionTokens;
    const sent = u.promptTokens + u.cachedPromptTokens + u.completionTokens;
    axes.generations += u.generations;
    axes.processedTokens += processed;
    axes.processedFlops += perToken * processed;
    axes.tokens += sent;
    axes.flops += perToken * sent;
  }
  return axes;
}

/** The mean of each axis over usages (NaN for none). */
export function meanComputeAxes(usages: readonly Usage[]): ComputeAxes {
  const sum = { generations: 0, processedTokens: 0, processedFlops: 0, tokens: 0, flops: 0 };
  for (const u of usages) {
    const a = computeAxes(u);
    for (const k of Object.keys(sum) as (keyof ComputeAxes)[]) sum[k] += a[k];
  }
  const n = usages.length;
  return { generations: sum.generations / n, processedTokens: sum.processedTokens / n, processedFlops: sum.processedFlops / n, tokens: sum.tokens / n, flops: sum.flops / n };
}

/** The model that wrote solutions (the one with generations) and its parameter count, read back from FLOPs per token. */
export function policyOf(usage: Usage): { modelId: string; parameters: number } | null {
  for (const [modelId, u] of Object.entries(usage)) {
    const tokens = u.promptTokens + u.completionTokens;
    if (u.generations > 0 && tokens > 0) return { modelId, parameters: u.flops / (2 * tokens) };
  }
  return null;
}
