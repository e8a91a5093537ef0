import { z } from "zod";

// The JSON that OpenAI-compatible servers send back, as far as ponder reads it. Objects are loose:
// servers add their own fields (vLLM's `stop_reason`, SGLang's `matched_stop`, ...).

export const wireUsageSchema = z.looseObject({
  prompt_tokens: z.number().nullish(),
  completion_tokens: z.number().nullish(),
  prompt_tokens_details: z.looseObject({ cached_tokens: z.number().nullish() }).nullish(),
});

/** `/v1/completions` logprobs: parallel arrays, one entry per token. */
export const legacyLogprobsSchema = z.looseObject({
  tokens: z.array(z.string()),
  token_logprobs: z.array(z.number().nullable()),
  top_logprobs: z.array(z.record(z.string(), z.number()).nullable()).nullish(),
  text_offset: z.array(z.number()).nullish(),
});

/** Chat-style logprobs (also what llama.cpp's server returns on `/v1/completions`). */
export const contentLogprobsSchema = z.looseObject({
  content: z
    .array(
      z.looseObject({
        token: z.string(),
        logprob: z.number(),
        top_logprobs: z.array(z.looseObject({ token: z.string(), logprob: z.number() })).nullish(),
      }),
    )
    .nullish(),
});

/** vLLM's `prompt_logprobs`: per prompt token (null for the first) the token ids it was asked for, its own included. */
export const promptLogprobsSchema = z.array(
  z.record(z.string(), z.looseObject({ logprob: z.number(), rank: z.number().nullish(), decoded_token: z.string().nullish() })).nullable(),
);

const stopReasonSchema = z.union([z.string(), z.number()]).nullish();

export const completionResponseSchema = z.looseObject({
  id: z.string().nullish(),
  choices: z.array(
    z.looseObject({
      index: z.number(),
      text: z.string(),
      finish_reason: z.string().nullish(),
      /** vLLM: the stop string that ended the text, or null / a token id when end-of-sequence did. */
      stop_reason: stopReasonSchema,
      /** SGLang's name for the same. */
      matched_stop: stopReasonSchema,
      logprobs: z.union([legacyLogprobsSchema, contentLogprobsSchema]).nullish(),
      prompt_logprobs: promptLogprobsSchema.nullish(),
    }),
  ).min(1),
  usage: wireUsageSchema.nullish(),
});

export const chatResponseSchema = z.looseObject({
  id: z.string().nullish(),
  choices: z.array(
    z.looseObject({
      index: z.number(),
      message: z.looseObject({ content: z.string().nullish() }),
      finish_reason: z.string().nullish(),
      stop_reason: stopReasonSchema,
      matched_stop: stopReasonSchema,
      logprobs: contentLogprobsSchema.nullish(),
    }),
  ).min(1),
  usage: wireUsageSchema.nullish(),
});

export const modelsResponseSchema = z.looseObject({
  data: z.array(
    z.looseObject({
      id: z.string(),
      owned_by: z.string().nullish(),
      /** llama.cpp: n_params, n_vocab, n_ctx, n_ctx_train, … */
      meta: z.record(z.string(), z.unknown()).nullish(),
      /** llama.cpp: other names the model answers to (`--alias`). */
      aliases: z.array(z.string()).nullish(),
    }),
  ),
});

export type WireUsage = z.infer<typeof wireUsageSchema>;
export type CompletionResponse = z.infer<typeof completionResponseSchema>;
export type CompletionChoice = CompletionResponse["choices"][number];
export type ChatResponse = z.infer<typeof chatResponseSchema>;
export type ChatChoice = ChatResponse["choices"][number];

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** The request fields ponder sends; servers take more, passed through `extraBody`. */
export interface CompletionRequestBody {
  model: string;
  prompt: string | string[];
  max_tokens: number;
  temperature?: number;
  top_p?: number;
  top_k?: number;
  min_p?: number;
  n?: number;
  seed?: number;
  stop?: string[];
  logprobs?: number;
  echo?: boolean;
  /** vLLM extension: log-probabilities of the prompt's tokens. */
  prompt_logprobs?: number;
  [extra: string]: unknown;
}

export interface ChatRequestBody {
  model: string;
  messages: ChatMessage[];
  max_tokens: number;
  temperature?: number;
  top_p?: number;
  top_k?: number;
  min_p?: number;
  n?: number;
  seed?: number;
  stop?: string[];
  logprobs?: boolean;
  top_logprobs?: number;
  /** vLLM / SGLang: continue the final (assistant) message instead of starting a new turn. */
  continue_final_message?: boolean;
  add_generation_prompt?: boolean;
  [extra: string]: unknown;
}

/** Prompt tokens evaluated and served from cache, from a response's usage (OpenAI counts cached tokens inside `prompt_tokens`). */
export function promptTokenCounts(usage: WireUsage | null | undefined): { promptTokens: number; cachedPromptTokens: number } {
  const total = usage?.prompt_tokens ?? 0;
  const cached = Math.min(total, usage?.prompt_tokens_details?.cached_tokens ?? 0);
  return { promptTokens: total - cached, cachedPromptTokens: cached };
}
