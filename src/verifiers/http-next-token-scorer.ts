import { connectServer } from "../backends/openai/connect-server.js";
import { nativeCompletion, nativeTokenize, nativeUsage } from "../backends/openai/llama-cpp-native.js";
import type { OpenAIClient } from "../backends/openai/openai-client.js";
import { promptTokenCounts, type CompletionChoice } from "../backends/openai/openai-wire.js";
import { SERVER_PROFILES, type LogprobsMode, type ServerKind } from "../backends/openai/server-kind.js";
import { vllmTokenIds } from "../backends/openai/vllm-tokenize.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import { addUsage, callUsage, type Usage } from "../core/usage.js";
import { MissingLogprobsError } from "./errors/missing-logprobs-error.js";
import { TokenAlignmentError } from "./errors/token-alignment-error.js";
import type { NextTokenQuery, NextTokenScorer, NextTokenScores } from "./next-token-scorer.js";

export type { LogprobsMode } from "../backends/openai/server-kind.js";

/**
 * How a server reveals next-token probabilities inside a text:
 * - `token-ids` (llama.cpp's server): the text up to the read point on the native `/completion`,
 *   one token generated with the candidates lifted above every other token by `logit_bias` (which
 *   leaves their ratio alone), their probabilities read after the sampling chain by token id (the
 *   ids from `/tokenize`): exact, whatever the candidates' rank, one probe per read point.
 * - `echo`: `/completions` with `echo` and `logprobs` returns each prompt token's log-probability
 *   (vLLM, OpenAI's legacy models). Each candidate is appended after the read point and its own
 *   log-probability read back: exact, one probe per read point and candidate.
 * - `prompt-logprobs`: the same through vLLM's `prompt_logprobs` extension, read by token id (the
 *   ids from vLLM's `/tokenize`).
 * - `top-logprobs`: the text up to the read point, one generated token and its `top` most likely
 *   alternatives (SGLang, Ollama). Read by token id where the server lists ids, else by text (where
 *   two tokens read alike, a byte-fallback token and a piece, the server decides which is listed).
 *   A candidate missing from the list is given the smallest listed log-probability, an upper bound;
 *   when every candidate is missing the call fails.
 */
export const LOGPROBS_MODES: readonly LogprobsMode[] = ["token-ids", "echo", "prompt-logprobs", "top-logprobs"];

export interface HttpNextTokenScorerOptions {
  client: OpenAIClient;
  /** The served model's name. */
  model: string;
  /** The key usage is recorded under (default: `model`). */
  modelId?: string;
  /** Default: the server kind's way (`token-ids` on llama.cpp, `prompt-logprobs` on vLLM, …; `echo` when the kind is unknown). */
  mode?: LogprobsMode;
  /** The server's kind (default `generic`; `connect` detects it). */
  server?: ServerKind;
  /** `top-logprobs`: alternatives asked for (default 20, vLLM's default cap). */
  topLogprobs?: number;
  /** Model parameters, for FLOPs (default 0: unknown; `connect` reads llama.cpp's). */
  parameters?: number;
  /** Prompts per request; more are sent as several concurrent requests (default 32). */
  batchSize?: number;
}

interface Probe {
  prompt: string;
  /** Index of the cut it reads. */
  row: number;
  cut: number;
  /** Index of the appended candidate; null when the candidates are read as the next token instead. */
  candidate: number | null;
}

/** Where a candidate is looked up in an answer: by token id (with its text for messages), or by text only. */
type CandidateKey = { id: number | null; text: string };

/**
 * Next-token log-probabilities from an OpenAI-compatible server, for token reward models served
 * remotely (any causal LM with logprobs can act as a token PRM).
 * @example await HttpNextTokenScorer.connect({ client, model: "prm" }) // llama-server -m models/prm.gguf --alias prm
 */
export class HttpNextTokenScorer implements NextTokenScorer {
  readonly modelId: string;
  readonly mode: LogprobsMode;
  readonly server: ServerKind;
  readonly #o: Required<Omit<HttpNextTokenScorerOptions, "modelId" | "mode" | "server">>;
  readonly #ids = new Map<string, Promise<CandidateKey>>();

  constructor({ client, model, modelId = model, server = "generic", mode = SERVER_PROFILES[server]?.logprobs, topLogprobs = 20, parameters = 0, batchSize = 32 }: HttpNextTokenScorerOptions) {
    const bad = (field: string, value: unknown, accepted: string) => new InvalidOptionError({ field, value, accepted, where: "HttpNextTokenScorer" });
    if (!model) throw bad("model", model, "the served model's name");
    if (!SERVER_PROFILES[server]) throw bad("server", server, Object.keys(SERVER_PROFILES).join(", "));
    if (!LOGPROBS_MODES.includes(mode!)) throw bad("mode", mode, LOGPROBS_MODES.join(", "));
    if (mode === "token-ids" && !SERVER_PROFILES[server].nativeCompletion) throw bad("mode", mode, `a mode ${server} servers offer (token-ids is llama.cpp's): echo, prompt-logprobs, top-logprobs`);
    if (!Number.isInteger(topLogprobs) || topLogprobs < 1) throw bad("topLogprobs", topLogprobs, "an integer ≥ 1 (the spec's top=N)");
    if (!Number.isInteger(batchSize) || batchSize < 1) throw bad("batchSize", batchSize, "an integer ≥ 1");
    this.modelId = modelId;
    this.mode = mode!;
    this.server = server;
    this.#o = { client, model, topLogprobs, parameters, batchSize };
  }

  /** A scorer for a live server: fails fast when nothing answers, checks the model name, detects the kind and llama.cpp's parameter count. */
  static async connect(options: Omit<HttpNextTokenScorerOptions, "model"> & { model?: string }, signal?: AbortSignal): Promise<HttpNextTokenScorer> {
    const info = await connectServer(options.client, { model: options.model, kind: options.server, signal });
    return new HttpNextTokenScorer({ ...options, model: info.model, server: info.kind, parameters: options.parameters ?? info.parameters });
  }

  async nextTokenScores({ text, cuts, candidates }: NextTokenQuery, signal?: AbortSignal): Promise<NextTokenScores> {
    if (cuts.length === 0) return { scores: [], usage: {} };
    const keys = await Promise.all(candidates.map((c) => this.#key(c, signal)));
    const next = this.mode === "token-ids" || this.mode === "top-logprobs";
    const probes: Probe[] = next
      ? cuts.map((cut, row) => ({ prompt: text.slice(0, cut), row, cut, candidate: null }))
      : cuts.flatMap((cut, row) => candidates.map((c, i) => ({ prompt: text.slice(0, cut) + c, row, cut, candidate: i })));
    // One prompt per request where a list's usage would cover only the first (or lists are refused).
    const size = this.mode === "token-ids" || SERVER_PROFILES[this.server].promptLists ? this.#o.batchSize : 1;
    const batches: Probe[][] = [];
    for (let i = 0; i < probes.length; i += size) batches.push(probes.slice(i, i + size));
    const answers = await Promise.all(batches.map((batch) => (this.mode === "token-ids" ? this.#askNative(batch, keys, signal) : this.#ask(batch, keys, signal))));
    const scores = cuts.map(() => candidates.map(() => Number.NaN));
    let usage: Usage = {};
    answers.forEach((answer, b) => {
      usage = addUsage(usage, answer.usage);
      batches[b]!.forEach((probe, i) => {
        const row = scores[probe.row]!;
        if (probe.candidate === null) answer.values[i]!.forEach((v, c) => (row[c] = v));
        else row[probe.candidate] = answer.values[i]![0]!;
      });
    });
    return { scores, usage: addUsage(usage, callUsage(this.modelId, { parameters: 0, calls: 1 })) };
  }

  /** A candidate's token id as the server tokenizes it, checked to be one token that reads as the candidate. */
  #key(candidate: string, signal?: AbortSignal): Promise<CandidateKey> {
    let key = this.#ids.get(candidate);
    if (!key) {
      key = this.#resolve(candidate, signal);
      this.#ids.set(candidate, key);
      key.catch(() => this.#ids.delete(candidate));
    }
    return key;
  }

  async #resolve(candidate: string, signal?: AbortSignal): Promise<CandidateKey> {
    let pieces: { id: number; piece: string | null }[] | null = null;
    const route = SERVER_PROFILES[this.server].tokenize;
    if (route === "llama.cpp") pieces = await nativeTokenize(this.#o.client, candidate, signal);
    else if (route === "vllm" && this.mode === "prompt-logprobs") pieces = (await vllmTokenIds(this.#o.client, this.#o.model, candidate, signal))?.map((id) => ({ id, piece: null })) ?? null;
    if (!pieces) return { id: null, text: candidate };
    const [first] = pieces;
    if (pieces.length !== 1 || (first!.piece !== null && first!.piece !== candidate)) {
      throw new TokenAlignmentError({
        modelId: this.modelId,
        detail: `candidate ${JSON.stringify(candidate)} is not a single token of the served model (the server tokenizes it as ${JSON.stringify(pieces.map((p) => p.piece ?? p.id))})`,
      });
    }
    return { id: first!.id, text: candidate };
  }

  /** llama.cpp: each probe's next token with the candidates lifted by logit_bias, read by id after the sampling chain. */
  async #askNative(batch: Probe[], keys: CandidateKey[], signal?: AbortSignal): Promise<{ values: number[][]; usage: Usage }> {
    const body = {
      model: this.#o.model,
      prompt: batch.map((p) => p.prompt),
      n_predict: 1,
      n_probs: keys.length,
      post_sampling_probs: true,
      // Temperature 1 and no cut-offs: the chain leaves softmax(logits + bias), whose ratios are the model's.
      samplers: ["temperature"],
      temperature: 1,
      seed: 0,
      logit_bias: keys.map((k) => [k.id, 1000]),
    };
    const results = await nativeCompletion(this.#o.client, body, signal);
    if (results.length !== batch.length) throw this.#missing(`asked about ${batch.length} prompts, got ${results.length} answers`, "the server must accept a list of prompts on /completion");
    let usage: Usage = {};
    const values = results.map((result, i) => {
      usage = addUsage(usage, callUsage(this.modelId, { parameters: this.#o.parameters, ...nativeUsage(result, false) }));
      const listed = result.completion_probabilities?.[0]?.top_probs ?? [];
      return keys.map((key) => {
        const entry = listed.find((p) => p.id === key.id);
        if (!entry || !(entry.prob! > 0)) {
          throw this.#missing(
            `token ${key.id} (${JSON.stringify(key.text)}) is not among the probabilities listed after ${JSON.stringify(batch[i]!.prompt.slice(-30))} (got ids ${JSON.stringify(listed.map((p) => p.id))})`,
            "the server must apply logit_bias and post_sampling_probs on /completion (llama.cpp b5000 or later)",
          );
        }
        return Math.log(entry.prob!);
      });
    });
    return { values, usage };
  }

  async #ask(batch: Probe[], keys: CandidateKey[], signal?: AbortSignal): Promise<{ values: number[][]; usage: Usage }> {
    const fields = { echo: { echo: true, logprobs: 1 }, "prompt-logprobs": { prompt_logprobs: 0 }, "top-logprobs": { logprobs: this.#o.topLogprobs } }[this.mode as "echo"];
    const { data } = await this.#o.client.completions({ model: this.#o.model, prompt: batch.map((p) => p.prompt), max_tokens: 1, temperature: 0, ...fields }, signal);
    const choices = [...data.choices].sort((a, b) => a.index - b.index);
    if (choices.length !== batch.length) {
      throw this.#missing(`asked about ${batch.length} prompts, got ${choices.length} answers`, "the server must accept a list of prompts on /completions");
    }
    const values = batch.map((probe, i) => {
      const choice = choices[i]!;
      if (probe.candidate === null) return this.#topAlternatives(choice, probe, keys);
      const key = keys[probe.candidate]!;
      return [this.mode === "echo" ? this.#echoed(choice, probe, key.text) : this.#promptLogprob(choice, probe, key)];
    });
    // OpenAI-style usage sums the prompts of a request.
    const counts = promptTokenCounts(data.usage);
    return { values, usage: callUsage(this.modelId, { parameters: this.#o.parameters, ...counts, completionTokens: data.usage?.completion_tokens ?? batch.length }) };
  }

  /** The appended candidate's log-probability among the echoed prompt tokens (it is the prompt's last token). */
  #echoed(choice: CompletionChoice, probe: Probe, candidate: string): number {
    const logprobs = choice.logprobs as { tokens?: string[]; token_logprobs?: (number | null)[]; text_offset?: number[] | null } | null | undefined;
    if (!logprobs?.tokens || !logprobs.token_logprobs) throw this.#missing("no echoed prompt log-probabilities", "use mode=prompt-logprobs (vLLM) or mode=top-logprobs (SGLang, Ollama); llama.cpp: mode=token-ids");
    const { tokens, token_logprobs: lps, text_offset: offsets } = logprobs;
    // The prompt's last token is second to last (one token was generated) or last (a server that
    // lists no end-of-sequence token); text offsets, when consistent, point at it directly.
    const at = offsets ? offsets.indexOf(probe.prompt.length - candidate.length) : -1;
    for (const j of [at, tokens.length - 2, tokens.length - 1]) {
      if (j >= 0 && normalizePiece(tokens[j]!) === candidate && typeof lps[j] === "number") return lps[j]!;
    }
    throw this.#misaligned(probe, candidate, tokens.slice(-3));
  }

  /** vLLM's prompt_logprobs entry of the prompt's last token, the appended candidate: by its token id when known, else by its text. */
  #promptLogprob(choice: CompletionChoice, probe: Probe, key: CandidateKey): number {
    const last = choice.prompt_logprobs?.at(-1);
    if (!last) throw this.#missing("no prompt_logprobs in the answer", "use mode=echo or mode=top-logprobs");
    if (key.id !== null) {
      const own = last[String(key.id)];
      if (!own) throw this.#misaligned(probe, key.text, Object.keys(last));
      return own.logprob;
    }
    const entries = Object.values(last);
    const own = entries.find((e) => e.decoded_token != null && normalizePiece(e.decoded_token) === key.text) ?? (entries.length === 1 && entries[0]!.decoded_token == null ? entries[0] : undefined);
    if (!own) throw this.#misaligned(probe, key.text, entries.map((e) => e.decoded_token ?? "?"));
    return own.logprob;
  }

  /** The candidates' log-probabilities among the first generated token's top alternatives, by id where the server lists ids. */
  #topAlternatives(choice: CompletionChoice, probe: Probe, keys: CandidateKey[]): number[] {
    type Alternative = { token: string; logprob: number; id?: number };
    const logprobs = choice.logprobs as { top_logprobs?: (Record<string, number> | null)[] | null; content?: { top_logprobs?: Alternative[] | null }[] | null } | null | undefined;
    const alternatives: Alternative[] =
      logprobs?.content?.[0]?.top_logprobs ?? Object.entries(logprobs?.top_logprobs?.[0] ?? {}).map(([token, logprob]) => ({ token, logprob }));
    if (alternatives.length === 0) throw this.#missing("no top log-probabilities for the generated token", "the server must support `logprobs` on /completions");
    const byId = alternatives.every((a) => typeof a.id === "number") && keys.every((k) => k.id !== null);
    const find = (key: CandidateKey) => (byId ? alternatives.find((a) => a.id === key.id) : alternatives.find((a) => normalizePiece(a.token) === key.text))?.logprob;
    const found = keys.map(find);
    if (found.every((v) => v === undefined)) {
      throw this.#missing(
        `none of ${keys.map((k) => JSON.stringify(k.text)).join(", ")} is among the ${alternatives.length} most likely tokens after ${JSON.stringify(probe.prompt.slice(-30))}`,
        `raise top=N in the verifier spec (now ${this.#o.topLogprobs}), or use mode=echo / mode=prompt-logprobs where the server offers them (llama.cpp: mode=token-ids)`,
      );
    }
    const floor = Math.min(...alternatives.map((a) => a.logprob));
    return found.map((v) => v ?? floor);
  }

  get #url(): string {
    return `${this.#o.client.baseURL}/completions`;
  }

  #missing(detail: string, hint: string): MissingLogprobsError {
    return new MissingLogprobsError({ url: this.#url, detail, hint });
  }

  #misaligned(probe: Probe, candidate: string, seen: readonly string[]): TokenAlignmentError {
    return new TokenAlignmentError({
      modelId: this.modelId,
      detail: `candidate ${JSON.stringify(candidate)} appended after ${JSON.stringify(probe.prompt.slice(Math.max(0, probe.cut - 20), probe.cut))} is not read back as its own token (last tokens: ${JSON.stringify(seen)}); it merges with the text before it`,
    });
  }
}

/** A token as text: servers that return raw vocabulary pieces write a leading space as "▁" (SentencePiece) or "Ġ" (GPT-2 BPE). */
function normalizePiece(piece: string): string {
  return piece.replace(/^[\u2581\u0120]/, " ");
}
