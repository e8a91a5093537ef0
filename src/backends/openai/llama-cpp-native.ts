import { z } from "zod";
import type { OpenAIClient } from "./openai-client.js";

// llama.cpp's own endpoints beside its OpenAI ones (tools/server at the commit node-llama-cpp
// bundles). `/completion` answers each prompt × `n` with a result of its own that says how it
// stopped (`stop_type`) and what it cost (`tokens_predicted`, `timings.prompt_n` / `cache_n`), and
// lists log-probabilities with token ids; `/v1/completions` merges them into one answer whose
// `usage` is the first result's and whose `finish_reason` is "stop" for a stop string and
// end-of-sequence alike.

/** A token's probability: `logprob` as the model gives it, or `prob` after the sampling chain (`post_sampling_probs`). */
const probSchema = z.looseObject({ id: z.number(), token: z.string(), logprob: z.number().optional(), prob: z.number().optional() });

export const nativeResultSchema = z.looseObject({
  /** Position in the request: prompt-major, then the `n` samples of each prompt. */
  index: z.number().nullish(),
  content: z.string(),
  /** "word": a stop string matched; "eos": end-of-sequence; "limit": n_predict or the context. */
  stop_type: z.enum(["none", "eos", "word", "limit"]),
  stopping_word: z.string().nullish(),
  /** Tokens generated, end-of-sequence included. */
  tokens_predicted: z.number(),
  /** Prompt tokens, evaluated or cached. */
  tokens_evaluated: z.number(),
  timings: z.looseObject({ prompt_n: z.number(), cache_n: z.number().nullish(), predicted_n: z.number().nullish() }).nullish(),
  completion_probabilities: z.array(probSchema.extend({ top_logprobs: z.array(probSchema).nullish(), top_probs: z.array(probSchema).nullish() })).nullish(),
});

/** What ponder reads of a result; the server then leaves out the settings and prompt it echoes by default. */
const RESPONSE_FIELDS = ["index", "content", "stop_type", "stopping_word", "tokens_predicted", "tokens_evaluated", "timings", "completion_probabilities"];

/** A single result, or an array of them when the request had several prompts or `n` > 1. */
const nativeResponseSchema = z.union([nativeResultSchema, z.array(nativeResultSchema).min(1)]);

export type NativeResult = z.infer<typeof nativeResultSchema>;

export interface NativeCompletionBody {
  /** Text, token ids, or a list of either (one result per prompt). */
  prompt: string | readonly (string | readonly number[])[] | readonly number[];
  n_predict: number;
  /** Samples per prompt (llama.cpp's `n_cmpl`, at most its `-np` slots); sample j draws with seed + j. */
  n?: number;
  n_probs?: number;
  seed?: number;
  stop?: readonly string[];
  [field: string]: unknown;
}

/**
 * `POST /completion`, results in request order. A result's prompt tokens were evaluated by it
 * (`timings.prompt_n`) or found in the cache (`timings.cache_n`); the samples after the first of
 * one prompt are started from the first's state (llama.cpp copies the slot, timings included), so
 * their prompt counts as cached, as the server's `/metrics` counters count it.
 */
export async function nativeCompletion(client: OpenAIClient, body: NativeCompletionBody, signal?: AbortSignal): Promise<NativeResult[]> {
  const request = { cache_prompt: true, ...body, stream: false, response_fields: RESPONSE_FIELDS };
  const { data } = await client.post(`${client.rootURL}/completion`, request, nativeResponseSchema, signal);
  const results = (Array.isArray(data) ? [...data] : [data]).sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  return results;
}

/** Prompt tokens a native result evaluated and found cached, and tokens it generated. */
export function nativeUsage(result: NativeResult, copiedFromSibling: boolean): { promptTokens: number; cachedPromptTokens: number; completionTokens: number } {
  const total = result.tokens_evaluated;
  if (copiedFromSibling) return { promptTokens: 0, cachedPromptTokens: total, completionTokens: result.tokens_predicted };
  const evaluated = Math.min(total, result.timings?.prompt_n ?? total);
  return { promptTokens: evaluated, cachedPromptTokens: total - evaluated, completionTokens: result.tokens_predicted };
}

const tokenizeSchema = z.looseObject({ tokens: z.array(z.union([z.number(), z.looseObject({ id: z.number(), piece: z.union([z.string(), z.array(z.number())]) })])) });

/** `POST /tokenize` with pieces: the token ids of `text` (special tokens parsed, no BOS) and each one's text. */
export async function nativeTokenize(client: OpenAIClient, text: string, signal?: AbortSignal): Promise<{ id: number; piece: string }[]> {
  const { data } = await client.post(`${client.rootURL}/tokenize`, { content: text, add_special: false, with_pieces: true }, tokenizeSchema, signal);
  return data.tokens.map((t) =>
    typeof t === "number" ? { id: t, piece: "" } : { id: t.id, piece: typeof t.piece === "string" ? t.piece : Buffer.from(t.piece).toString("latin1") },
  );
}
