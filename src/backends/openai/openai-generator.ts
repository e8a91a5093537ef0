import { InvalidOptionError } from "../../core/errors/invalid-option-error.js";
import type { Continuation, GenerationRequest, GenerationResult, Generator } from "../../core/generator.js";
import { continuationPrompt, type PromptTemplate } from "../../core/prompt-template.js";
import { deriveSeed } from "../../core/rng.js";
import { addUsage, callUsage, type Usage } from "../../core/usage.js";
import { plainTemplate } from "../../templates/templates.js";
import { validateGenerationRequest } from "../validate-request.js";
import { chatMessages } from "./chat-messages.js";
import { ServerCapabilityError } from "./errors/server-capability-error.js";
import type { OpenAIClient } from "./openai-client.js";
import { promptTokenCounts, type WireUsage } from "./openai-wire.js";
import { continuationFromChoice, tokensPerChoice, type WireChoice } from "./read-choice.js";

/** How a chat server continues a final assistant message. */
export type ChatPrefill =
  /** vLLM and SGLang: `continue_final_message: true, add_generation_prompt: false`. */
  | "continue-final-message"
  /** llama.cpp's server (and Ollama): a final assistant message is continued as it is. */
  | "last-assistant"
  /** OpenAI and servers without prefill: only whole solutions can be generated, not steps after a prefix. */
  | "none";

export interface OpenAIGeneratorOptions {
  client: OpenAIClient;
  /** The model name the server serves (`OpenAIGenerator.connect` asks `GET /models` when it is unset). */
  model: string;
  /** The key usage is recorded under (default: `model`). */
  modelId?: string;
  /** `completions` continues raw text on `/completions`; `chat` uses `/chat/completions` for servers that offer only that (default `completions`). */
  api?: "completions" | "chat";
  /** Completions: the prompt layout (default `plain`). Chat: only its step delimiter is used; the server applies its own chat template. */
  template?: PromptTemplate;
  /** Chat: how the server continues a solution's steps (default `continue-final-message`). */
  prefill?: ChatPrefill;
  /** Chat: the system message ("" for none; default asks for blank-line steps and a boxed answer). */
  system?: string;
  /**
   * How `n` samples are drawn. `emulate` (default): parallel requests, sample i seeded with
   * deriveSeed(seed, i), so it is the same whatever n. `native`: one request with the server's `n`
   * (cheaper; the same seed and n give the same samples). `auto`: native, switching to emulation for
   * good once a server answers with fewer choices than asked (llama.cpp's server ignores `n`).
   */
  n?: "emulate" | "native" | "auto";
  /** Model parameters, for FLOPs (default 0: FLOPs unknown, recorded as 0). */
  parameters?: number;
  /** Further request fields this server takes, e.g. `{ repetition_penalty: 1.05 }`. */
  extraBody?: Record<string, unknown>;
}

/**
 * A policy served by any OpenAI-compatible endpoint (vLLM, SGLang, llama.cpp's server, Ollama,
 * OpenAI). Continues a solution's prefix on `/completions`, stopping at the step delimiter for
 * step requests; or, for chat-only servers, continues an assistant message on `/chat/completions`.
 * Usage is recorded per call as LlamaGenerator records it, from the server's `usage`.
 * @example const policy = await OpenAIGenerator.connect({ client: new OpenAIClient({ baseURL: "http://localhost:8000/v1" }), template: chatmlTemplate });
 */
export class OpenAIGenerator implements Generator {
  readonly modelId: string;
  readonly stepDelimiter: string;
  readonly model: string;
  readonly api: "completions" | "chat";
  readonly #o: OpenAIGeneratorOptions & { template: PromptTemplate; prefill: ChatPrefill; parameters: number };
  #nativeN: boolean;

  constructor(options: OpenAIGeneratorOptions) {
    const { model, api = "completions", template = plainTemplate, prefill = "continue-final-message", n = "emulate", parameters = 0 } = options;
    const bad = (field: string, value: unknown, accepted: string) => new InvalidOptionError({ field, value, accepted, where: "OpenAIGenerator" });
    if (typeof model !== "string" || model.length === 0) throw bad("model", model, "the served model's name (see GET /v1/models)");
    if (api !== "completions" && api !== "chat") throw bad("api", api, '"completions" or "chat"');
    if (!["continue-final-message", "last-assistant", "none"].includes(prefill)) throw bad("prefill", prefill, '"continue-final-message", "last-assistant" or "none"');
    if (!["emulate", "native", "auto"].includes(n)) throw bad("n", n, '"emulate", "native" or "auto"');
    if (!(parameters >= 0)) throw bad("parameters", parameters, "a number ≥ 0");
    this.#o = { ...options, template, prefill, parameters };
    this.model = model;
    this.api = api;
    this.modelId = options.modelId ?? model;
    this.stepDelimiter = template.stepDelimiter;
    this.#nativeN = n !== "emulate";
  }

  /** A generator whose model name, when not given, is the first the server lists. */
  static async connect(options: Omit<OpenAIGeneratorOptions, "model"> & { model?: string }, signal?: AbortSignal): Promise<OpenAIGenerator> {
    const model = options.model ?? (await options.client.models(signal))[0];
    if (!model) throw new InvalidOptionError({ field: "model", value: undefined, accepted: `a model name: ${options.client.baseURL}/models lists none` });
    return new OpenAIGenerator({ ...options, model });
  }

  async generate(request: GenerationRequest, signal?: AbortSignal): Promise<GenerationResult> {
    const { prefix = [], n = 1 } = validateGenerationRequest(request);
    if (this.api === "chat" && prefix.length > 0 && this.#o.prefill === "none") {
      throw new ServerCapabilityError({
        feature: "assistant prefill",
        detail: `${this.#o.client.baseURL}: continuing a solution after ${prefix.length} step(s) needs a chat server that continues an assistant message`,
        hint: 'use api "completions", or prefill "continue-final-message" (vLLM, SGLang) or "last-assistant" (llama.cpp server, Ollama); without prefill only whole solutions (until "solution", no prefix) can be generated',
      });
    }
    const indices = Array.from({ length: n }, (_, i) => i);
    const parts: { continuations: Continuation[]; usage: Usage }[] = [];
    let missing = indices;
    if (this.#nativeN && n > 1) {
      const part = await this.#call(request, 0, n, signal);
      parts.push(part);
      missing = indices.slice(part.continuations.length);
      if (missing.length > 0) this.#nativeN = false;
    }
    parts.push(...(await Promise.all(missing.map((i) => this.#call(request, i, 1, signal)))));
    const continuations = parts.flatMap((p) => p.continuations).slice(0, n);
    return { continuations, usage: parts.reduce<Usage>((sum, p) => addUsage(sum, p.usage), {}) };
  }

  /** One request for `count` samples, the first seeded as sample `index`. */
  async #call(request: GenerationRequest, index: number, count: number, signal?: AbortSignal): Promise<{ continuations: Continuation[]; usage: Usage }> {
    const { problem, prefix = [], attempts = [], until, sampling, logprobs = false } = request;
    const o = this.#o;
    const common = {
      model: this.model,
      max_tokens: sampling.maxTokens,
      temperature: sampling.temperature,
      seed: deriveSeed(sampling.seed, index),
      ...(count > 1 ? { n: count } : {}),
      ...(sampling.topP !== undefined ? { top_p: sampling.topP } : {}),
      ...(sampling.topK ? { top_k: sampling.topK } : {}),
      ...(sampling.minP ? { min_p: sampling.minP } : {}),
      ...(until === "step" ? { stop: [this.stepDelimiter] } : {}),
      ...o.extraBody,
    };
    let choices: WireChoice[];
    let usage: WireUsage | null | undefined;
    if (this.api === "completions") {
      const prompt = continuationPrompt(o.template, problem, prefix, attempts);
      const { data } = await o.client.completions({ ...common, prompt, ...(logprobs ? { logprobs: 1 } : {}) }, signal);
      choices = [...data.choices].sort((a, b) => a.index - b.index);
      usage = data.usage;
    } else {
      const messages = chatMessages(problem, prefix, attempts, { system: o.system, stepDelimiter: this.stepDelimiter });
      const prefill = prefix.length > 0 && o.prefill === "continue-final-message" ? { continue_final_message: true, add_generation_prompt: false } : {};
      const { data } = await o.client.chatCompletions({ ...common, messages, ...prefill, ...(logprobs ? { logprobs: true } : {}) }, signal);
      choices = [...data.choices].sort((a, b) => a.index - b.index).map((c) => ({ ...c, text: c.message.content ?? "" }));
      usage = data.usage;
    }
    choices = choices.slice(0, count);
    const tokens = tokensPerChoice(choices, usage?.completion_tokens);
    const continuations = choices.map((choice, i) =>
      continuationFromChoice(choice, { until, delimiter: this.stepDelimiter, completionTokens: tokens[i]!, logprobs }),
    );
    const usageOfCall = callUsage(this.modelId, {
      parameters: o.parameters,
      generations: prefix.length === 0 ? choices.length : 0,
      calls: choices.length,
      ...promptTokenCounts(usage),
      completionTokens: tokens.reduce((a, b) => a + b, 0),
    });
    return { continuations, usage: usageOfCall };
  }
}
