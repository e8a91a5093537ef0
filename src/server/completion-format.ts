import type { Candidate } from "../core/candidate.js";
import type { SearchEvent, StrategyResult } from "../strategies/strategy.js";
import { toOpenAIUsage, type OpenAIUsage } from "./openai-usage.js";
import type { RunPlan } from "./plan-run.js";

/** Identity of one response, shared by all its chunks. */
export interface ResponseMeta {
  id: string;
  created: number;
  model: string;
}

export type FinishReason = "stop" | "length";

/** What one streamed chunk carries besides its identity. */
export interface ChunkContent {
  /** The first chunk of a chat stream names the role. */
  role?: boolean;
  /** Answer text. */
  content?: string;
  finishReason?: FinishReason | null;
  /** ponder's extension field: a search progress event, or the search's summary on the last chunk. */
  ponder?: Record<string, unknown>;
}

/** OpenAI's wire shapes for one endpoint: `/chat/completions` or `/completions`. */
export interface CompletionFormat {
  response(meta: ResponseMeta, text: string, finishReason: FinishReason, usage: OpenAIUsage, ponder: Record<string, unknown>): object;
  chunk(meta: ResponseMeta, content: ChunkContent): object;
  /** The closing chunk of `stream_options.include_usage`: no choices, only usage. */
  usageChunk(meta: ResponseMeta, usage: OpenAIUsage): object;
}

export const chatFormat: CompletionFormat = {
  response: (meta, text, finishReason, usage, ponder) => ({
    ...head(meta, "chat.completion"),
    choices: [{ index: 0, message: { role: "assistant", content: text, refusal: null }, logprobs: null, finish_reason: finishReason }],
    usage,
    ponder,
  }),
  chunk: (meta, { role, content, finishReason = null, ponder }) => ({
    ...head(meta, "chat.completion.chunk"),
    choices: [{ index: 0, delta: { ...(role ? { role: "assistant" } : {}), ...(content !== undefined ? { content } : {}) }, logprobs: null, finish_reason: finishReason }],
    ...(ponder ? { ponder } : {}),
  }),
  usageChunk: (meta, usage) => ({ ...head(meta, "chat.completion.chunk"), choices: [], usage }),
};

export const textFormat: CompletionFormat = {
  response: (meta, text, finishReason, usage, ponder) => ({
    ...head(meta, "text_completion"),
    choices: [{ index: 0, text, logprobs: null, finish_reason: finishReason }],
    usage,
    ponder,
  }),
  chunk: (meta, { content, finishReason = null, ponder }) => ({
    ...head(meta, "text_completion"),
    choices: [{ index: 0, text: content ?? "", logprobs: null, finish_reason: finishReason }],
    ...(ponder ? { ponder } : {}),
  }),
  usageChunk: (meta, usage) => ({ ...head(meta, "text_completion"), choices: [], usage }),
};

function head(meta: ResponseMeta, object: string) {
  return { id: meta.id, object, created: meta.created, model: meta.model, system_fingerprint: null };
}

/**
 * The candidate whose text is the reply: the chosen one, or, when no candidate states a final
 * answer (nothing to vote on), the best-scored one, so the client still sees what the model wrote.
 */
export function shownCandidate(result: StrategyResult): Candidate | null {
  if (result.chosen) return result.chosen;
  return result.candidates.reduce<Candidate | null>((best, c) => (best === null || (c.score ?? 0) > (best.score ?? 0) ? c : best), null);
}

/** The reply's text in pieces, one per solution step, joined as the policy writes them. */
export function answerSteps(result: StrategyResult, delimiter: string): string[] {
  const steps = shownCandidate(result)?.steps ?? [];
  return steps.map((step, i) => (i < steps.length - 1 ? step + delimiter : step));
}

/** `stop` for a finished solution; `length` for one cut off by its token limit or the budget. */
export function finishReasonOf(result: StrategyResult): FinishReason {
  const shown = shownCandidate(result);
  return shown === null || shown.finishReason === "end" ? "stop" : "length";
}

/** The response's `ponder` field: what ran and what it found. */
export function ponderSummary(result: StrategyResult, plan: RunPlan): Record<string, unknown> {
  return {
    strategy: result.strategy,
    budget: result.budget,
    answer: result.answer,
    answer_key: result.answerKey,
    score: result.chosen?.score ?? null,
    stopped_by: result.stoppedBy,
    candidates_count: result.candidates.length,
    details: result.details,
    ...(plan.includeCandidates
      ? { candidates: result.candidates.map((c) => ({ steps: c.steps, answer: c.answer, score: c.score ?? null, finish_reason: c.finishReason })) }
      : {}),
  };
}

/** A search event as streamed: its usage in the same OpenAI shape as the final usage. */
export function eventPayload(event: SearchEvent | { type: "queued"; position: number } | { type: "started" }): Record<string, unknown> {
  return "usage" in event ? { ...event, usage: toOpenAIUsage(event.usage) } : { ...event };
}
