import { z } from "zod";
import type { OpenAIClient } from "../backends/openai/openai-client.js";
import { OpenAIRequestError } from "../backends/openai/errors/openai-request-error.js";
import type { ChatMessage } from "../backends/openai/openai-wire.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";

/**
 * The generations of vLLM's pooling API, newest first:
 * - `pooling`: `POST /pooling` with `task` (`token_classify` for PRMs; vLLM ≥ 0.11 split the old
 *   `encode` task into `token_classify` / `token_embed` and wants it named);
 * - `pooling-untasked`: `POST /pooling` without `task` (vLLM 0.7–0.10, the `encode` task by default);
 * - `embeddings`: `POST /v1/embeddings` returning the step probabilities flattened as an
 *   "embedding" (vLLM 0.6, when reward models were served as embedding models); text input only.
 * `auto` tries them in that order and keeps the first the server accepts.
 */
export type PoolingApi = "pooling" | "pooling-untasked" | "embeddings";
export const POOLING_APIS: readonly (PoolingApi | "auto")[] = ["auto", "pooling", "pooling-untasked", "embeddings"];

const poolingResponseSchema = z.looseObject({
  data: z.array(z.looseObject({ index: z.number().nullish(), data: z.unknown().optional(), embedding: z.unknown().optional() })).min(1),
  usage: z.looseObject({ prompt_tokens: z.number().nullish() }).nullish(),
});

export interface PooledOutput {
  /** What the model's pooler returned for the input: nested lists of numbers. */
  data: unknown;
  promptTokens: number;
}

/**
 * One conversation through vLLM's pooling API, in whichever generation the server speaks.
 * @example await new VllmPooling({ client, model: "Qwen/Qwen2.5-Math-PRM-7B" }).pool({ messages }, "token_classify")
 */
export class VllmPooling {
  readonly #client: OpenAIClient;
  readonly #model: string;
  #api: PoolingApi | "auto";

  constructor({ client, model, api = "auto" }: { client: OpenAIClient; model: string; api?: PoolingApi | "auto" }) {
    if (!POOLING_APIS.includes(api)) throw new InvalidOptionError({ field: "api", value: api, accepted: POOLING_APIS.join(", "), where: "VllmPooling" });
    if (!model) throw new InvalidOptionError({ field: "model", value: model, accepted: "the served model's name", where: "VllmPooling" });
    this.#client = client;
    this.#model = model;
    this.#api = api;
  }

  /** The generation in use (`auto` until the first answer settles it). */
  get api(): PoolingApi | "auto" {
    return this.#api;
  }

  /** `messages` go through the server's chat template; `text` is sent as it is (the only input `embeddings` takes). */
  async pool(input: { messages: ChatMessage[]; text: string }, task: "token_classify" | "classify", signal?: AbortSignal): Promise<PooledOutput> {
    if (this.#api !== "auto") return this.#send(this.#api, input, task, signal);
    let api: PoolingApi = "pooling";
    for (;;) {
      try {
        const out = await this.#send(api, input, task, signal);
        this.#api = api;
        return out;
      } catch (error) {
        const older: PoolingApi | null = error instanceof OpenAIRequestError ? olderApi(api, error) : null;
        if (!older) throw error;
        api = older;
      }
    }
  }

  async #send(api: PoolingApi, { messages, text }: { messages: ChatMessage[]; text: string }, task: string, signal?: AbortSignal): Promise<PooledOutput> {
    const model = this.#model;
    const [url, body] =
      api === "embeddings"
        ? [`${this.#client.baseURL}/embeddings`, { model, input: [text] }]
        : [`${this.#client.rootURL}/pooling`, { model, messages, ...(api === "pooling" ? { task } : {}) }];
    const { data } = await this.#client.post(url, body, poolingResponseSchema, signal);
    const first = data.data[0]!;
    return { data: api === "embeddings" ? first.embedding : first.data, promptTokens: data.usage?.prompt_tokens ?? 0 };
  }
}

/** The generation to try after `api` failed so: no `/pooling` route means embeddings; a rejected `task` field means untasked pooling. */
function olderApi(api: PoolingApi, error: OpenAIRequestError): PoolingApi | null {
  if (api !== "embeddings" && (error.status === 404 || error.status === 405)) return "embeddings";
  if (api === "pooling" && (error.status === 400 || error.status === 422) && /task/i.test(error.body ?? "")) return "pooling-untasked";
  return null;
}
