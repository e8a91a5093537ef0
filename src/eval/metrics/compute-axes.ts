import { totalUsage, type Usage } from "../../core/usage.js";

/** Compute on the three axes results are compared by. */
export interface ComputeAxes {
  /** Solutions begun from the question (the budget's unit). */
  generations: number;
  /** Tokens processed by every model: prompt tokens evaluated plus tokens generated. */
  tokens: number;
  /** 2 × parameters × tokens processed, summed over models (policy and verifier alike). */
  flops: number;
}

export function computeAxes(usage: Usage): ComputeAxes {
  const t = totalUsage(usage);
  return { generations: t.generations, tokens: t.promptTokens + t.completionTokens, flops: t.flops };
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
