import { z } from "zod";
import { OpenAIRequestError } from "./errors/openai-request-error.js";
import type { OpenAIClient } from "./openai-client.js";

const tokenizeSchema = z.looseObject({ tokens: z.array(z.number()) });

/**
 * vLLM's `POST /tokenize` (at the server root): the token ids of `text` without special tokens, as
 * vLLM documents it (`{ model, prompt, add_special_tokens }` → `{ count, max_model_len, tokens }`).
 * Null when the server has no such route (older vLLM), so callers fall back to reading by text.
 */
export async function vllmTokenIds(client: OpenAIClient, model: string, text: string, signal?: AbortSignal): Promise<number[] | null> {
  try {
    const { data } = await client.post(`${client.rootURL}/tokenize`, { model, prompt: text, add_special_tokens: false }, tokenizeSchema, signal);
    return data.tokens;
  } catch (error) {
    if (error instanceof OpenAIRequestError && (error.status === 404 || error.status === 405)) return null;
    throw error;
  }
}
