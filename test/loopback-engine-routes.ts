import type { Token } from "node-llama-cpp";
import type { EngineCompletion, LlamaEngine } from "../src/backends/llama/llama-engine.js";

/**
 * The OpenAI-compatible behaviour of vLLM (its documented API: `stop_reason`, `n`, `echo`,
 * `prompt_logprobs`, `continue_final_message`, the pooling routes, `/tokenize`), computed by the
 * embedded engine, for what no real server here can show: vLLM itself, SGLang's `matched_stop`,
 * servers without `n`, and scripted faults. llama.cpp's behaviour is tested against llama-server.
 */
export interface EngineRoutesOptions {
  engine: LlamaEngine;
  /** The model name served (default "loopback"). */
  model?: string;
  /** `owned_by` in `/v1/models`: how clients tell the server's kind (default "vllm"). */
  ownedBy?: string;
  /** Report SGLang's `matched_stop` instead of vLLM's `stop_reason` (SGLang's documented field). */
  matchedStop?: boolean;
  /** Honour `n`; false answers one choice whatever `n` asks, as llama.cpp's server does (default true). */
  supportsN?: boolean;
  /** Report vLLM's `stop_reason` (default true); false leaves clients to tell a stop string from end-of-sequence. */
  stopReason?: boolean;
  /** Serve prompt log-probabilities (`echo`, vLLM's `prompt_logprobs`); false answers 400 (default true). */
  promptLogprobs?: boolean;
  /** A final assistant message in chat: vLLM's `continue_final_message` flag, llama.cpp's implicit prefill, or a new turn. */
  chatPrefill?: "continue-final-message" | "last-assistant" | "none";
  /** vLLM's pooling API as of a version: 0.11+ (`/pooling` with `task`), 0.7–0.10 (`/pooling`, no `task`), 0.6 (`/v1/embeddings` only). */
  pooling?: { version: "v0.11" | "v0.10" | "v0.6"; tag: string; positive: string; negative: string };
}

/** An error answer with a status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Body = Record<string, unknown>;

/** The OpenAI-style routes of the loopback server, computed by the embedded engine. */
export class EngineRoutes {
  readonly #o: EngineRoutesOptions & { model: string };
  readonly #engine: LlamaEngine;
  readonly #vocab: Token[];
  readonly #pieces: string[];
  /** Tokens that may appear in text-keyed top alternatives. */
  readonly #listed: Token[];

  constructor(options: EngineRoutesOptions) {
    this.#o = { ...options, model: options.model ?? "loopback" };
    this.#engine = options.engine;
    const raw = (options.engine.raw.model.fileInfo.metadata as unknown as { tokenizer: { ggml: { tokens: string[] } } }).tokenizer.ggml.tokens;
    this.#vocab = raw.map((_, i) => i as Token);
    this.#pieces = this.#vocab.map((t) => options.engine.detokenize([t]));
    // A byte-fallback token reads like the piece for the same character: text-keyed alternatives list the piece.
    const pieces = new Set(raw.flatMap((r, t) => (/^<0x[0-9A-F]{2}>$/.test(r) ? [] : [this.#pieces[t]])));
    this.#listed = this.#vocab.filter((t) => !(/^<0x[0-9A-F]{2}>$/.test(raw[t]!) && pieces.has(this.#pieces[t])));
  }

  async handle(method: string, path: string, body: Body): Promise<unknown> {
    const pooling = this.#o.pooling;
    if (method === "GET" && path === "/v1/models") return { object: "list", data: [{ id: this.#o.model, object: "model", owned_by: this.#o.ownedBy ?? "vllm" }] };
    if (method === "POST" && path === "/tokenize") return this.#tokenize(body);
    if (method !== "POST") throw new HttpError(405, `${method} not allowed`);
    if (path === "/v1/completions") return this.#completions(body);
    if (path === "/v1/chat/completions") return this.#chat(body);
    if (pooling && path === "/pooling" && pooling.version !== "v0.6") return this.#pooling(body);
    if (pooling && path === "/classify") return this.#classify(body);
    if (pooling && path === "/v1/embeddings" && pooling.version === "v0.6") return this.#embeddings(body);
    throw new HttpError(404, `no route ${path}`);
  }

  async #completions(body: Body): Promise<unknown> {
    const prompts = typeof body.prompt === "string" ? [body.prompt] : body.prompt;
    if (!Array.isArray(prompts) || prompts.length === 0 || !prompts.every((p) => typeof p === "string")) throw new HttpError(400, "prompt must be a string or a list of strings");
    const echo = body.echo === true;
    const logprobs = integerOrNull(body.logprobs, "logprobs");
    const promptLogprobs = integerOrNull(body.prompt_logprobs, "prompt_logprobs");
    if ((echo || promptLogprobs !== null) && this.#o.promptLogprobs === false) throw new HttpError(400, "prompt log-probabilities (echo, prompt_logprobs) are not supported");
    const n = this.#n(body);
    const jobs = (prompts as string[]).flatMap((prompt) => Array.from({ length: n }, (_, i) => ({ prompt, i })));
    const outputs = await Promise.all(jobs.map(({ prompt, i }) => this.#generate(this.#engine.tokenize(prompt, { bos: true }), body, i)));
    const choices = await Promise.all(
      outputs.map(async ({ tokens, completion }, index) => {
        const prompt = jobs[index]!.prompt;
        const choice: Body = { index, text: (echo ? prompt : "") + completion.text, ...this.#finish(completion, body) };
        if (logprobs !== null) choice.logprobs = await this.#legacyLogprobs(tokens, completion.text, logprobs, echo);
        if (promptLogprobs !== null) choice.prompt_logprobs = await this.#promptLogprobs(tokens, promptLogprobs);
        return choice;
      }),
    );
    return { id: "cmpl-loopback", object: "text_completion", model: this.#o.model, choices, usage: usageOf(outputs, n) };
  }

  async #chat(body: Body): Promise<unknown> {
    const messages = body.messages as { role: string; content: string }[] | undefined;
    if (!Array.isArray(messages) || messages.length === 0) throw new HttpError(400, "messages must be a non-empty list");
    const last = messages[messages.length - 1]!;
    let open = false;
    if (this.#o.chatPrefill === "last-assistant") open = last.role === "assistant";
    else if (this.#o.chatPrefill !== "none" && body.continue_final_message === true) {
      if (last.role !== "assistant") throw new HttpError(400, "continue_final_message requires a final assistant message");
      if (body.add_generation_prompt !== false) throw new HttpError(400, "continue_final_message and add_generation_prompt cannot both be true");
      open = true;
    }
    const text = renderChat(messages, open);
    const n = this.#n(body);
    const tokens = this.#engine.tokenize(text, { bos: true });
    const outputs = await Promise.all(Array.from({ length: n }, (_, i) => this.#generate(tokens, body, i)));
    const top = integerOrNull(body.top_logprobs, "top_logprobs") ?? 0;
    const choices = await Promise.all(
      outputs.map(async ({ completion }, index) => {
        const choice: Body = { index, message: { role: "assistant", content: completion.text }, ...this.#finish(completion, body) };
        if (body.logprobs === true) {
          const legacy = await this.#legacyLogprobs(tokens, completion.text, top, false);
          choice.logprobs = {
            content: legacy.tokens.map((token, i) => ({
              token,
              logprob: legacy.token_logprobs[i],
              top_logprobs: Object.entries(legacy.top_logprobs[i] ?? {}).map(([t, logprob]) => ({ token: t, logprob })),
            })),
          };
        }
        return choice;
      }),
    );
    return { id: "chatcmpl-loopback", object: "chat.completion", model: this.#o.model, choices, usage: usageOf(outputs, n) };
  }

  /** vLLM's `/tokenize`: `{ model, prompt, add_special_tokens }` → `{ count, max_model_len, tokens }`. */
  #tokenize(body: Body): unknown {
    if (typeof body.prompt !== "string") throw new HttpError(400, "prompt must be a string");
    const tokens = body.add_special_tokens === false ? this.#engine.tokenize(body.prompt) : this.#engine.tokenize(body.prompt, { bos: true });
    return { count: tokens.length, max_model_len: this.#engine.contextSize, tokens };
  }

  #n(body: Body): number {
    const n = integerOrNull(body.n, "n") ?? 1;
    return this.#o.supportsN === false ? 1 : n;
  }

  async #generate(tokens: Token[], body: Body, i: number): Promise<{ tokens: Token[]; completion: EngineCompletion }> {
    const maxTokens = integerOrNull(body.max_tokens, "max_tokens") ?? 16;
    if (maxTokens < 1) throw new HttpError(400, "max_tokens must be at least 1");
    const stop = typeof body.stop === "string" ? [body.stop] : ((body.stop as string[] | undefined) ?? []);
    const sampling = {
      temperature: typeof body.temperature === "number" ? body.temperature : 1,
      topP: body.top_p as number | undefined,
      minP: body.min_p as number | undefined,
      topK: body.top_k as number | undefined,
      seed: (integerOrNull(body.seed, "seed") ?? 0) + i,
      maxTokens,
    };
    return { tokens, completion: await this.#engine.complete(tokens, { sampling, stop }) };
  }

  #finish(completion: EngineCompletion, body: Body): Body {
    const stop = typeof body.stop === "string" ? [body.stop] : ((body.stop as string[] | undefined) ?? []);
    const finish_reason = completion.finishReason === "length" ? "length" : "stop";
    if (this.#o.stopReason === false) return { finish_reason };
    const reason = completion.finishReason === "stop" ? (stop[0] ?? null) : null;
    return this.#o.matchedStop ? { finish_reason, matched_stop: reason } : { finish_reason, stop_reason: reason };
  }

  /** OpenAI's legacy logprobs of the generated tokens (and of the prompt's, after its first, with `echo`). */
  async #legacyLogprobs(prompt: Token[], generatedText: string, top: number, echo: boolean) {
    const generated = generatedText ? this.#engine.tokenize(generatedText) : [];
    const all = [...prompt, ...generated];
    const positions = Array.from({ length: all.length }, (_, p) => p).filter((p) => (echo ? p >= 1 : p >= prompt.length));
    const rows = await this.#logprobsAt(all, positions);
    const tokens = positions.map((p) => this.#pieces[all[p]!]!);
    let offset = 0;
    return {
      tokens,
      token_logprobs: rows.map((row, i) => row[all[positions[i]!]!]!),
      top_logprobs: rows.map((row) => (top > 0 ? Object.fromEntries(topK(row, top, this.#listed).map((t) => [this.#pieces[t]!, row[t]!])) : null)),
      text_offset: tokens.map((t) => ((offset += t.length), offset - t.length)),
    };
  }

  /** vLLM's prompt_logprobs: null for the first token, then each token with the `top` most likely in its place. */
  async #promptLogprobs(prompt: Token[], top: number) {
    const positions = prompt.map((_, p) => p).filter((p) => p >= 1);
    const rows = await this.#logprobsAt(prompt, positions);
    return [
      null,
      ...rows.map((row, i) => {
        const own = prompt[positions[i]!]!;
        const ranked = topK(row, this.#vocab.length);
        const entry = (t: Token) => [String(t), { logprob: row[t]!, rank: ranked.indexOf(t) + 1, decoded_token: this.#pieces[t]! }];
        return Object.fromEntries([entry(own), ...ranked.slice(0, top).map(entry)]);
      }),
    ];
  }

  /** Log-softmax over the whole vocabulary of the next token after position p − 1, for each p. */
  async #logprobsAt(tokens: Token[], positions: number[]): Promise<number[][]> {
    if (positions.length === 0) return [];
    const { logits } = await this.#engine.logitsAt(tokens, positions.map((p) => ({ position: p - 1, candidates: this.#vocab })));
    return logits.map((row) => {
      const max = Math.max(...row);
      const lse = max + Math.log(row.reduce((s, x) => s + Math.exp(x - max), 0));
      return row.map((x) => x - lse);
    });
  }

  async #stepProbabilities(text: string, at: "tags" | "last"): Promise<{ probs: number[][]; promptTokens: number }> {
    const { tag, positive, negative } = this.#o.pooling!;
    const tokens = this.#engine.tokenize(text, { bos: true });
    const tagToken = this.#engine.tokenOf(tag);
    const positions = at === "last" ? [tokens.length - 1] : tokens.flatMap((t, p) => (t === tagToken ? [p] : []));
    const candidates = [this.#engine.tokenOf(negative)!, this.#engine.tokenOf(positive)!];
    if (positions.length === 0) return { probs: [], promptTokens: tokens.length };
    const { logits } = await this.#engine.logitsAt(tokens, positions.map((position) => ({ position, candidates })));
    return { probs: logits.map(([neg, pos]) => [1 / (1 + Math.exp(pos! - neg!)), 1 / (1 + Math.exp(neg! - pos!))]), promptTokens: tokens.length };
  }

  async #pooling(body: Body): Promise<unknown> {
    const version = this.#o.pooling!.version;
    if (version === "v0.10" && body.task !== undefined) throw new HttpError(400, `task: unexpected field (got ${JSON.stringify(body.task)})`);
    if (body.task !== undefined && body.task !== "token_classify" && body.task !== "classify") throw new HttpError(400, `task ${JSON.stringify(body.task)} is not supported by this model`);
    const texts = Array.isArray(body.messages) ? [renderChat(body.messages as { role: string; content: string }[], false)] : inputs(body.input);
    const results = await Promise.all(texts.map((t) => this.#stepProbabilities(t, body.task === "classify" ? "last" : "tags")));
    return {
      object: "list",
      data: results.map((r, index) => ({ index, object: "pooling", data: body.task === "classify" ? r.probs[0] : r.probs })),
      usage: { prompt_tokens: results.reduce((s, r) => s + r.promptTokens, 0), total_tokens: 0 },
    };
  }

  async #classify(body: Body): Promise<unknown> {
    const results = await Promise.all(inputs(body.input).map((t) => this.#stepProbabilities(t, "last")));
    return {
      object: "list",
      data: results.map((r, index) => ({ index, label: r.probs[0]![1]! > 0.5 ? "LABEL_1" : "LABEL_0", probs: r.probs[0], num_classes: 2 })),
      usage: { prompt_tokens: results.reduce((s, r) => s + r.promptTokens, 0) },
    };
  }

  async #embeddings(body: Body): Promise<unknown> {
    const results = await Promise.all(inputs(body.input).map((t) => this.#stepProbabilities(t, "tags")));
    return {
      object: "list",
      data: results.map((r, index) => ({ index, object: "embedding", embedding: r.probs.flat() })),
      usage: { prompt_tokens: results.reduce((s, r) => s + r.promptTokens, 0) },
    };
  }
}

/** The server's chat template: "Role:" then the content on the next line; an open final assistant message is continued. */
export function renderChat(messages: readonly { role: string; content: string }[], openLast: boolean): string {
  const roles: Record<string, string> = { system: "System", user: "User", assistant: "Assistant" };
  const text = messages.map((m, i) => `${roles[m.role] ?? m.role}:\n${m.content}${openLast && i === messages.length - 1 ? "" : "\n"}`).join("");
  return openLast ? text : `${text}Assistant:\n`;
}

function inputs(input: unknown): string[] {
  const list = typeof input === "string" ? [input] : input;
  if (!Array.isArray(list) || !list.every((x) => typeof x === "string")) throw new HttpError(400, "input must be a string or a list of strings");
  return list as string[];
}

function integerOrNull(value: unknown, field: string): number | null {
  if (value === undefined || value === null) return null;
  if (!Number.isInteger(value) || (value as number) < 0) throw new HttpError(400, `${field} must be a non-negative integer`);
  return value as number;
}

function topK(row: number[], k: number, among?: readonly Token[]): Token[] {
  return (among ?? row.map((_, t) => t as Token))
    .map((t) => [row[t]!, t] as const)
    .sort((a, b) => b[0] - a[0])
    .slice(0, k)
    .map(([, t]) => t as Token);
}

/** OpenAI usage: prompt tokens once per prompt (cached ones inside), completion tokens of every choice. */
function usageOf(outputs: { tokens: Token[]; completion: EngineCompletion }[], n: number) {
  let prompt = 0;
  let cached = 0;
  let completion = 0;
  outputs.forEach((o, i) => {
    if (i % n === 0) {
      prompt += o.tokens.length;
      cached += o.completion.cachedPromptTokens;
    }
    completion += o.completion.completionTokens;
  });
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, prompt_tokens_details: { cached_tokens: cached } };
}
