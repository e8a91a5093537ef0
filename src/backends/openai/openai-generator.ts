import { InvalidOptionError } from "../../core/errors/invalid-option-error.js";
import type { GenerationRequest, GenerationResult, Generator } from "../../core/generator.js";
import { continuationPrompt, type PromptTemplate } from "../../core/prompt-template.js";
import { addUsage, type Usage } from "../../core/usage.js";
import { plainTemplate } from "../../templates/templates.js";
import { validateGenerationRequest } from "../validate-request.js";
import { chatMessages } from "./chat-messages.js";
import { connectServer } from "./connect-server.js";
import { ServerCapabilityError } from "./errors/server-capability-error.js";
import { OpenAIRequestError } from "./errors/openai-request-error.js";
import type { OpenAIClient } from "./openai-client.js";
import { sampleChat, sampleCompletions, sampleNative, type SampleCall, type SampleContext, type Sampled } from "./sample-requests.js";
import { SERVER_KINDS, SERVER_PROFILES, type ChatPrefill, type ServerKind } from "./server-kind.js";
import { streamContinuations, type StreamTarget } from "./stream-confidence.js";

export type { ChatPrefill } from "./server-kind.js";

export interface OpenAIGeneratorOptions {
  client: OpenAIClient;
  /** The model name the server serves (`OpenAIGenerator.connect` checks it against `GET /models`, or takes the first listed). */
  model: string;
  /** The key usage is recorded under (default: `model`). */
  modelId?: string;
  /** Which server this is: every difference between servers follows from it (see server-kind.ts; default `generic`, which `connect` detects). */
  server?: ServerKind;
  /** `completions` continues raw text on `/completions`; `chat` uses `/chat/completions` for servers that offer only that (default `completions`). */
  api?: "completions" | "chat";
  /** Completions: the prompt layout (default `plain`). Chat: only its step delimiter is used; the server applies its own chat template. */
  template?: PromptTemplate;
  /** Chat: how the server continues a solution's steps (default: the server kind's way). */
  prefill?: ChatPrefill;
  /** Chat: the system message ("" for none; default asks for blank-line steps and a boxed answer). */
  system?: string;
  /**
   * How `n` samples are drawn. `emulate` (default): parallel requests, sample i seeded with
   * deriveSeed(seed, i), so it is the same whatever n. `native`: one request with the server's `n`
   * (cheaper: the prompt is evaluated once; the same seed and n give the same samples). `auto`:
   * native where the server kind honours `n` (llama.cpp, vLLM, SGLang, OpenAI; not Ollama, nor
   * llama.cpp's chat, whose usage covers the first choice only), switching to emulation for good
   * once a server answers with fewer choices than asked.
   */
  n?: "emulate" | "native" | "auto";
  /** Model parameters, for FLOPs (default 0: FLOPs unknown, recorded as 0; `connect` reads llama.cpp's). */
  parameters?: number;
  /** Further request fields this server takes, e.g. `{ repetition_penalty: 1.05 }`. */
  extraBody?: Record<string, unknown>;
}

/**
 * A policy served by any OpenAI-compatible endpoint (vLLM, SGLang, llama.cpp's server, Ollama,
 * OpenAI). Continues a solution's prefix on `/completions` (llama.cpp's native `/completion`),
 * stopping at the step delimiter for step requests; or, for chat-only servers, continues an
 * assistant message on `/chat/completions`. Every sampling parameter is sent, so the server's
 * defaults never change the distribution, and usage is what the server processed.
 * @example const policy = await OpenAIGenerator.connect({ client: new OpenAIClient({ baseURL: "http://localhost:8080/v1" }), template: demoTemplate });
 */
export class OpenAIGenerator implements Generator {
  readonly modelId: string;
  readonly stepDelimiter: string;
  readonly model: string;
  readonly api: "completions" | "chat";
  readonly server: ServerKind;
  /** Model parameters FLOPs are counted with (0: unknown). */
  readonly parameters: number;
  readonly #o: OpenAIGeneratorOptions & { template: PromptTemplate; prefill: ChatPrefill };
  readonly #context: SampleContext;
  #nativeN: boolean;
  /** The most samples one native request asks for (llama.cpp: its slot count, learnt from its refusal). */
  #maxN = Number.POSITIVE_INFINITY;

  constructor(options: OpenAIGeneratorOptions) {
    const { model, api = "completions", server = "generic", template = plainTemplate, n = "emulate", parameters = 0 } = options;
    const bad = (field: string, value: unknown, accepted: string) => new InvalidOptionError({ field, value, accepted, where: "OpenAIGenerator" });
    if (typeof model !== "string" || model.length === 0) throw bad("model", model, "the served model's name (see GET /v1/models)");
    if (api !== "completions" && api !== "chat") throw bad("api", api, '"completions" or "chat"');
    if (!SERVER_KINDS.includes(server)) throw bad("server", server, SERVER_KINDS.join(", "));
    const profile = SERVER_PROFILES[server];
    const prefill = options.prefill ?? profile.prefill;
    if (!["continue-final-message", "last-assistant", "none"].includes(prefill)) throw bad("prefill", prefill, '"continue-final-message", "last-assistant" or "none"');
    if (!["emulate", "native", "auto"].includes(n)) throw bad("n", n, '"emulate", "native" or "auto"');
    if (!(parameters >= 0)) throw bad("parameters", parameters, "a number ≥ 0");
    this.#o = { ...options, template, prefill };
    this.model = model;
    this.api = api;
    this.server = server;
    this.parameters = parameters;
    this.modelId = options.modelId ?? model;
    this.stepDelimiter = template.stepDelimiter;
    this.#nativeN = n === "native" || (n === "auto" && profile.honoursN[api]);
    this.#context = { client: options.client, model, modelId: this.modelId, parameters, profile, delimiter: template.stepDelimiter, extraBody: options.extraBody };
  }

  /**
   * A generator for a live server: fails within seconds naming the URL when nothing answers there,
   * detects the server's kind (unless `server` is given), checks the model name against the ones it
   * serves (the first listed when none is given), and reads the parameter count llama.cpp reports.
   */
  static async connect(options: Omit<OpenAIGeneratorOptions, "model"> & { model?: string }, signal?: AbortSignal): Promise<OpenAIGenerator> {
    const info = await connectServer(options.client, { model: options.model, kind: options.server, signal });
    return new OpenAIGenerator({ ...options, model: info.model, server: info.kind, parameters: options.parameters ?? info.parameters });
  }

  async generate(request: GenerationRequest, signal?: AbortSignal): Promise<GenerationResult> {
    const { prefix = [], n = 1 } = validateGenerationRequest(request);
    if (this.api === "chat" && prefix.length > 0 && this.#o.prefill === "none") {
      throw new ServerCapabilityError({
        feature: "assistant prefill",
        detail: `${this.#o.client.baseURL}: continuing a solution after ${prefix.length} step(s) needs a chat server that continues an assistant message`,
        hint: 'use api=completions, or prefill=continue-final-message (vLLM, SGLang) or prefill=last-assistant (llama.cpp server, Ollama); without prefill only whole solutions (until "solution", no prefix) can be generated',
      });
    }
    if (request.confidence || request.onToken) return streamContinuations(this.#streamTarget(request), request, signal);
    const parts: Sampled[] = [];
    let done = 0;
    if (this.#nativeN && n > 1) {
      const chunks = [];
      for (let i = 0; i < n; i += this.#maxN) chunks.push({ request, index: i, count: Math.min(this.#maxN, n - i) });
      let answered: Sampled[];
      try {
        answered = await Promise.all(chunks.map((chunk) => this.#call(chunk, signal)));
      } catch (error) {
        const most = mostNativeN(error);
        if (most === null || most >= this.#maxN) throw error;
        // llama.cpp takes at most its slot count (-np) as n: ask again in chunks of that size.
        this.#maxN = most;
        return this.generate(request, signal);
      }
      parts.push(...answered);
      done = answered.reduce((sum, part) => sum + part.continuations.length, 0);
      // A server that ignores `n` answers one sample (seeded as sample 0): emulate from now on.
      if (done < n) this.#nativeN = false;
    }
    const missing = Array.from({ length: n - done }, (_, i) => done + i);
    parts.push(...(await Promise.all(missing.map((i) => this.#call({ request, index: i, count: 1 }, signal)))));
    const continuations = parts.flatMap((p) => p.continuations).slice(0, n);
    return { continuations, usage: parts.reduce<Usage>((sum, p) => addUsage(sum, p.usage), {}) };
  }

  /** Where a streamed request for confidence goes (stream-confidence.ts). */
  #streamTarget({ problem, prefix = [], attempts = [] }: GenerationRequest): StreamTarget {
    const o = this.#o;
    if (this.api === "completions") return { ...this.#context, input: { api: "completions", prompt: continuationPrompt(o.template, problem, prefix, attempts) } };
    const messages = chatMessages(problem, prefix, attempts, { system: o.system, stepDelimiter: this.stepDelimiter });
    const continued = prefix.length > 0;
    return {
      ...this.#context,
      input: {
        api: "chat",
        messages,
        prefill: continued && o.prefill === "continue-final-message" ? { continue_final_message: true, add_generation_prompt: false } : {},
        echoed: continued && this.#context.profile.echoesPrefill ? messages.at(-1)!.content : "",
      },
    };
  }

  #call(call: SampleCall, signal?: AbortSignal): Promise<Sampled> {
    const { problem, prefix = [], attempts = [] } = call.request;
    const o = this.#o;
    if (this.api === "chat") {
      const messages = chatMessages(problem, prefix, attempts, { system: o.system, stepDelimiter: this.stepDelimiter });
      return sampleChat(this.#context, call, { messages, prefill: o.prefill }, signal);
    }
    const prompt = continuationPrompt(o.template, problem, prefix, attempts);
    return this.#context.profile.nativeCompletion ? sampleNative(this.#context, call, prompt, signal) : sampleCompletions(this.#context, call, prompt, signal);
  }
}

/** The largest `n` a server said it takes, from llama.cpp's 400 "Field 'n': Value must be between 1 <= value <= 16"; null for any other error. */
function mostNativeN(error: unknown): number | null {
  if (!(error instanceof OpenAIRequestError) || error.status !== 400) return null;
  const match = /Field 'n'[^0-9]*1 <= value <= (\d+)/.exec(error.body ?? "");
  return match ? Math.max(1, Number(match[1])) : null;
}
