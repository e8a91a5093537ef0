import type { SharedV3ProviderMetadata } from "@ai-sdk/provider";
import type { Budget } from "../core/budget.js";
import type { ModelUsage } from "../core/usage.js";

/** What ponderMiddleware reports of a search, in `providerMetadata.ponder`. */
export interface PonderSearchMetadata {
  /** The strategy that ran. */
  strategy: string;
  /** The chosen final answer, or null when no candidate stated one. */
  answer: string | null;
  budget: Budget;
  /** `budget` when the budget ran out before the search finished. */
  stoppedBy: "complete" | "budget";
  /** Per distinct answer: the candidates stating it, their summed and best scores. */
  votes: { answer: string; count: number; weight: number; best: number }[];
  /** Every candidate the search ended with. */
  candidates: { answer: string | null; finishReason: "step" | "end" | "length"; score?: number }[];
  /** ponder's compute per model (the wrapped model's calls and the verifier's), FLOPs and wall time included. */
  usage: Record<string, ModelUsage>;
  /** Strategy-specific figures (rounds run, beams kept, …). */
  details: Record<string, number | string | boolean>;
}

/**
 * The search a ponderMiddleware call made, read from a result's provider metadata (typed, unlike
 * the SDK's JSON record); undefined for a call the middleware passed through.
 * @example const { answer, votes } = ponderMetadata(await generateText({ model, prompt })) ?? {};
 */
export function ponderMetadata(result: { providerMetadata?: SharedV3ProviderMetadata | undefined }): PonderSearchMetadata | undefined {
  return result.providerMetadata?.["ponder"] as unknown as PonderSearchMetadata | undefined;
}
