import type { Usage } from "../../core/usage.js";

/**
 * Compute on the three axes results are compared by. Tokens and FLOPs count every prompt token
 * each time a prompt is sent, whether the KV cache served it or not: what the cache saves depends
 * on which problems and strategies happened to run before (a strategy run after another on the
 * same problem finds its prompt cached), so counting it would make one strategy look cheaper than
 * another by scheduling alone. The measured usage, cache savings included, stays in the records.
 */
export interface ComputeAxes {
  /** Solutions begun from the question (the budget's unit). */
  generations: number;
  /** Tokens every model read or wrote: prompt tokens (cached or not) plus tokens generated. */
  tokens: number;
  /** 2 × parameters × `tokens`, summed over models (policy and verifier alike). */
  flops: number;
}

export function computeAxes(usage: Usage): ComputeAxes {
  const axes = { generations: 0, tokens: 0, flops: 0 };
  for (const u of Object.values(usage)) {
    const evaluated = u.promptTokens + u.completionTokens;
    const tokens = evaluated + u.cachedPromptTokens;
    axes.generations += u.generations;
    axes.tokens += tokens;
    axes.flops += evaluated > 0 ? (u.flops * tokens) / evaluated : u.flops;
  }
  return axes;
}

/** The mean of each axis over usages (NaN for none). */
export function meanComputeAxes(usages: readonly Usage[]): ComputeAxes {
  const sum = { generations: 0, tokens: 0, flops: 0 };
  for (const u of usages) {
    const a = computeAxes(u);
    sum.generations += a.generations;
    sum.tokens += a.tokens;
    sum.flops += a.flops;
  }
  const n = usages.length;
  return { generations: sum.generations / n, tokens: sum.tokens / n, flops: sum.flops / n };
}

/** The model that wrote solutions (the one with generations) and its parameter count, read back from FLOPs per token. */
export function policyOf(usage: Usage): { modelId: string; parameters: number } | null {
  for (const [modelId, u] of Object.entries(usage)) {
    const tokens = u.promptTokens + u.completionTokens;
    if (u.generations > 0 && tokens > 0) return { modelId, parameters: u.flops / (2 * tokens) };
  }
  return null;
}
