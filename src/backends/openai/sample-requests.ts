import type { Continuation, GenerationRequest } from "../../core/generator.js";
import { deriveSeed } from "../../core/rng.js";
import { addUsage, callUsage, type Usage } from "../../core/usage.js";
import { splitSteps } from "../llama/llama-generator.js";
import { nativeCompletion, nativeUsage, type NativeResult } from "./llama-cpp-native.js";
import type { OpenAIClient } from "./openai-client.js";
import { promptTokenCounts, type ChatMessage, type WireUsage } from "./openai-wire.js";
import { continuationFromChoice, tokensPerChoice, withoutEchoedPrefill, type WireChoice } from "./read-choice.js";
import type { ChatPrefill, ServerProfile } from "./server-kind.js";

// The three ways ponder asks a server for samples (llama.cpp's native /completion, /v1/completions,
// /v1/chat/completions), each read back into continuations and the usage the server really spent.

/** What every request of one generator shares. */
export interface SampleContext {
  client: OpenAIClient;
  model: string;
  modelId: string;
  parameters: number;
  profile: ServerProfile;
  delimiter: string;
  extraBody?: Record<string, unknown>;
}

/** One request: `count` samples of `request`, the first seeded as sample `index`. */
export interface SampleCall {
  request: GenerationRequest;
  index: number;
  count: number;
}

export interface Sampled {
  continuations: Continuation[];
  usage: Usage;
}

function samplingFields(ctx: SampleContext, { request, index, count }: SampleCall, sendStop: boolean): Record<string, unknown> {
  const { sampling, until } = request;
  return {
    model: ctx.model,
    seed: deriveSeed(sampling.seed, index),
    ...ctx.profile.sampling(sampling),
    ...(count > 1 ? { n: count } : {}),
    ...(until === "step" && sendStop ? { stop: [ctx.delimiter] } : {}),
    ...ctx.extraBody,
  };
}

/** Usage of `choices` samples: generations only when begun from the question. */
function usageOf(ctx: SampleContext, call: SampleCall, choices: number, tokens: { promptTokens: number; cachedPromptTokens: number; completionTokens: number }): Usage {
  const fresh = (call.request.prefix?.length ?? 0) === 0;
  return callUsage(ctx.modelId, { parameters: ctx.parameters, generations: fresh ? choices : 0, calls: choices, ...tokens });
}

/**
 * llama.cpp's `/completion`: `stop_type` says whether the delimiter or end-of-sequence stopped each
 * sample, and each result carries its own token counts, so usage is exact per sample.
 */
export async function sampleNative(ctx: SampleContext, call: SampleCall, prompt: string, signal?: AbortSignal): Promise<Sampled> {
  const { request } = call;
  const body = { ...samplingFields(ctx, call, true), prompt, n_predict: request.sampling.maxTokens, n_probs: request.logprobs ? 1 : 0 };
  const results = (await nativeCompletion(ctx.client, body, signal)).slice(0, call.count);
  let usage: Usage = {};
  const continuations = results.map((result, j) => {
    const own = usageOf(ctx, call, 1, nativeUsage(result, j > 0));
    usage = addUsage(usage, own);
    return { ...nativeContinuation(result, request.until, ctx.delimiter, request.logprobs ?? false), usage: own };
  });
  return { continuations, usage };
}

function nativeContinuation(result: NativeResult, until: "step" | "solution", delimiter: string, logprobs: boolean): Continuation {
  let text = result.content;
  const cut = until === "step" ? text.indexOf(delimiter) : -1;
  let finishReason: Continuation["finishReason"] = result.stop_type === "eos" ? "end" : result.stop_type === "word" && until === "step" ? "step" : "length";
  if (cut >= 0) {
    text = text.slice(0, cut);
    finishReason = "step";
  }
  // The end-of-sequence token is listed last, with empty text; the embedded engine lists none.
  const listed = result.completion_probabilities ?? [];
  const tokenLogprobs = logprobs ? (result.stop_type === "eos" && listed.at(-1)?.token === "" ? listed.slice(0, -1) : listed).map((p) => p.logprob ?? Number.NaN) : undefined;
  return {
    text,
    steps: splitSteps(text, delimiter, until, finishReason === "end"),
    finishReason,
    completionTokens: result.tokens_predicted,
    ...(tokenLogprobs ? { tokenLogprobs } : {}),
  };
}

/**
 * `/v1/completions`. Usage is OpenAI's: a prompt counted once however many samples it has, every
 * sample's completion tokens summed. The samples after the first of a prompt share its evaluation,
 * so their prompt tokens are recorded as cached, as the embedded engine records them.
 */
export async function sampleCompletions(ctx: SampleContext, call: SampleCall, prompt: string, signal?: AbortSignal): Promise<Sampled> {
  const endOfStep = ctx.profile.endOfStep.completions;
  const body = { ...samplingFields(ctx, call, endOfStep !== "cut-locally"), model: ctx.model, prompt, max_tokens: call.request.sampling.maxTokens, ...(call.request.logprobs ? { logprobs: 1 } : {}) };
  const { data } = await ctx.client.completions(body, signal);
  const choices = [...data.choices].sort((a, b) => a.index - b.index).slice(0, call.count);
  return readChoices(ctx, call, choices, data.usage, endOfStep);
}

/**
 * `/v1/chat/completions`, continuing the steps so far as a prefilled assistant message. llama.cpp
 * answers with the prefill in front of the continuation (cut off here), tells end-of-sequence only
 * by the empty last token of `logprobs`, and reports usage for the first choice only (so `n` is
 * emulated there, one request per sample).
 */
export async function sampleChat(
  ctx: SampleContext,
  call: SampleCall,
  { messages, prefill }: { messages: ChatMessage[]; prefill: ChatPrefill },
  signal?: AbortSignal,
): Promise<Sampled> {
  const { request } = call;
  const endOfStep = ctx.profile.endOfStep.chat;
  const continued = (request.prefix?.length ?? 0) > 0;
  const prefillText = continued ? messages.at(-1)!.content : "";
  const wantsLogprobs = request.logprobs || (endOfStep === "eos-token" && request.until === "step");
  const body = {
    ...samplingFields(ctx, call, endOfStep !== "cut-locally"),
    model: ctx.model,
    messages,
    max_tokens: request.sampling.maxTokens,
    ...(continued && prefill === "continue-final-message" ? { continue_final_message: true, add_generation_prompt: false } : {}),
    ...(wantsLogprobs ? { logprobs: true, top_logprobs: 1 } : {}),
  };
  const { data } = await ctx.client.chatCompletions(body, signal);
  const choices = [...data.choices]
    .sort((a, b) => a.index - b.index)
    .slice(0, call.count)
    .map((c) => {
      const content = c.message.content ?? "";
      return { ...c, text: continued && ctx.profile.echoesPrefill ? withoutEchoedPrefill(content, prefillText) : content };
    });
  return readChoices(ctx, call, choices, data.usage, endOfStep);
}

function readChoices(ctx: SampleContext, call: SampleCall, choices: WireChoice[], wire: WireUsage | null | undefined, endOfStep: ServerProfile["endOfStep"]["chat"]): Sampled {
  const { until, logprobs = false } = call.request;
  const tokens = tokensPerChoice(choices, wire?.completion_tokens);
  const continuations = choices.map((choice, i) => continuationFromChoice(choice, { until, delimiter: ctx.delimiter, endOfStep, completionTokens: tokens[i]!, logprobs }));
  const { promptTokens, cachedPromptTokens } = promptTokenCounts(wire);
  const shared = choices.length > 1 ? (choices.length - 1) * (wire?.prompt_tokens ?? 0) : 0;
  const usage = usageOf(ctx, call, choices.length, { promptTokens, cachedPromptTokens: cachedPromptTokens + shared, completionTokens: tokens.reduce((a, b) => a + b, 0) });
  return { continuations, usage };
}
