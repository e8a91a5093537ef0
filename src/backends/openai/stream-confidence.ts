import type { Continuation, GenerationRequest, GenerationResult } from "../../core/generator.js";
import { deriveSeed } from "../../core/rng.js";
import { DEFAULT_CONFIDENCE_TOP_K } from "../../core/token-confidence.js";
import { addUsage, callUsage, type Usage } from "../../core/usage.js";
import { splitSteps } from "../llama/llama-generator.js";
import { promptTokenCounts, type WireUsage } from "./openai-wire.js";
import { continuationFromChoice, withoutEchoedPrefill } from "./read-choice.js";
import type { SampleContext } from "./sample-requests.js";
import { readTokenStream } from "./token-stream.js";

/**
 * What a streamed request needs from its generator: the server it asks, and `/completions` with a
 * prompt or `/chat/completions` with messages (prefill fields, and the prefilled text a server
 * echoes in front of the continuation, cut off here).
 */
export interface StreamTarget extends SampleContext {
  input: { api: "completions"; prompt: string } | { api: "chat"; messages: unknown[]; prefill: Record<string, unknown>; echoed: string };
}

/** Prompt token counts of recent prompts, from streams that ran to their end (a stopped stream reports no usage). */
const promptTokens = new Map<string, { promptTokens: number; cachedPromptTokens: number }>();
const PROMPT_MEMO = 4_096;

/**
 * A generation request that asks for token confidence or watches tokens (`onToken`), served by
 * streaming: one request per continuation (sample i seeded as deriveSeed(seed, i), as emulated `n`
 * is), with the model's top log-probabilities on every token. When `onToken` says stop, the stream
 * is closed at once, which is how a client makes llama.cpp's server, vLLM or SGLang stop generating;
 * the tokens received are counted. A stopped stream carries no usage, so its prompt tokens are
 * those a finished stream of the same prompt reported.
 */
export async function streamContinuations(target: StreamTarget, request: GenerationRequest, signal?: AbortSignal): Promise<GenerationResult> {
  const { prefix = [], until, n = 1, sampling, logprobs = false, onToken } = request;
  const confidence = { signal: request.confidence?.signal ?? "top-k", topK: request.confidence?.topK ?? DEFAULT_CONFIDENCE_TOP_K };
  const top = confidence.signal === "top-k" ? confidence.topK : 1;
  const { input } = target;
  const memoKey = `${target.client.baseURL}\u0000${target.model}\u0000${JSON.stringify(input)}`;
  const parts = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const body = {
        model: target.model,
        max_tokens: sampling.maxTokens,
        seed: deriveSeed(sampling.seed, i),
        ...target.profile.sampling(sampling),
        // No stop string: a streamed chunk's finish_reason "stop" cannot say whether the delimiter or
        // end-of-sequence ended it on every server (llama.cpp's cannot), so the step is cut here.
        ...target.extraBody,
        stream: true,
        stream_options: { include_usage: true },
        ...(input.api === "completions" ? { prompt: input.prompt, logprobs: top } : { messages: input.messages, ...input.prefill, logprobs: true, top_logprobs: top }),
      };
      const url = `${target.client.baseURL}/${input.api === "completions" ? "completions" : "chat/completions"}`;
      const streamed = await target.client.stream(
        url,
        body,
        (stream, close) =>
          readTokenStream(stream, {
            confidence,
            abort: close,
            ...(until === "step" ? { stopAt: target.delimiter } : {}),
            ...(input.api === "chat" && input.echoed !== "" ? { echoed: input.echoed } : {}),
            ...(onToken ? { onToken: (t) => onToken({ ...t, continuation: i }) } : {}),
          }),
        signal,
      );
      const usage = streamed.usage as WireUsage | null;
      const completionTokens = usage?.completion_tokens ?? streamed.tokens;
      let prompt = usage ? promptTokenCounts(usage) : promptTokens.get(memoKey);
      if (usage) remember(memoKey, prompt!);
      const stopped = streamed.finishReason === "stopped";
      const base = stopped
        ? { text: streamed.text, steps: splitSteps(streamed.text, target.delimiter, until, false), finishReason: "stopped" as const, completionTokens }
        : continuationFromChoice({ text: streamed.text, finish_reason: streamed.finishReason }, { until, delimiter: target.delimiter, endOfStep: "cut-locally", completionTokens, logprobs: false });
      return { base, stopped, prompt, tokenConfidences: streamed.tokenConfidences, tokenLogprobs: streamed.tokenLogprobs };
    }),
  );
  // A stopped stream reports no usage: its prompt cost what a finished sibling's did.
  const known = parts.find((p) => p.prompt)?.prompt ?? { promptTokens: 0, cachedPromptTokens: 0 };
  let usage: Usage = {};
  const continuations: Continuation[] = parts.map((p) => {
    const own = callUsage(target.modelId, {
      parameters: target.parameters,
      generations: prefix.length === 0 ? 1 : 0,
      calls: 1,
      ...(p.prompt ?? known),
      completionTokens: p.base.completionTokens,
    });
    usage = addUsage(usage, own);
    return { ...p.base, usage: own, tokenConfidences: p.tokenConfidences, ...(logprobs ? { tokenLogprobs: p.tokenLogprobs } : {}) };
  });
  return { continuations, usage };
}

function remember(key: string, counts: { promptTokens: number; cachedPromptTokens: number }): void {
  promptTokens.delete(key);
  promptTokens.set(key, counts);
  if (promptTokens.size > PROMPT_MEMO) promptTokens.delete(promptTokens.keys().next().value!);
}
