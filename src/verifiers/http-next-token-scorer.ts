import type { OpenAIClient } from "../backends/openai/openai-client.js";
import { promptTokenCounts, type CompletionChoice } from "../backends/openai/openai-wire.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import { addUsage, callUsage, type Usage } from "../core/usage.js";
import { MissingLogprobsError } from "./errors/missing-logprobs-error.js";
import { TokenAlignmentError } from "./errors/token-alignment-error.js";
import type { NextTokenQuery, NextTokenScorer, NextTokenScores } from "./next-token-scorer.js";

/**
 * How a server reveals next-token probabilities inside a text:
 * - `echo`: `/completions` with `echo` and `logprobs` returns each prompt token's log-probability
 *   (vLLM, OpenAI's legacy models). Each candidate is appended after the read point and its own
 *   log-probability read back: exact, one probe per read point and candidate.
 * - `prompt-logprobs`: the same through vLLM's `prompt_logprobs` extension.
 * - `top-logprobs`: the text up to the read point, one generated token and its `logprobs` most
 *   likely alternatives (llama.cpp's server, SGLang, Ollama: servers without prompt log-probabilities).
 *   A candidate missing from the list is given the smallest listed log-probability, an upper bound,
 *   which is close for a trained PRM (its tag is followed by "+" or "-" almost surely); when every
 *   candidate is missing the call fails. Alternatives are keyed by text, so where two tokens read
 *   alike (a byte-fallback token and a piece) the server decides which one is listed.
 */
export type LogprobsMode = "echo" | "prompt-logprobs" | "top-logprobs";

export const LOGPROBS_MODES: readonly LogprobsMode[] = ["echo", "prompt-logprobs", "top-logprobs"];

export interface HttpNextTokenScorerOptions {
  client: OpenAIClient;
  /** The served model's name. */
  model: string;
  /** The key usage is recorded under (default: `model`). */
  modelId?: string;
  mode?: LogprobsMode;
  /** `top-logprobs`: alternatives asked for (default 20, vLLM's default cap). */
  topLogprobs?: number;
  /** Model parameters, for FLOPs (default 0: unknown). */
  parameters?: number;
  /** Prompts per request; more are sent as several concurrent requests (default 32). */
  batchSize?: number;
}

interface Probe {
  prompt: string;
  /** Index of the cut it reads. */
  row: number;
  cut: number;
  /** Index of the appended candidate; null when the top alternatives are read instead. */
  candidate: number | null;
}

/**
 * Next-token log-probabilities from an OpenAI-compatible `/completions` endpoint, for token
 * reward models served remotely (any causal LM with logprobs can act as a token PRM).
 * @example new HttpNextTokenScorer({ client, model: "peiyi9979/math-shepherd-mistral-7b-prm", mode: "prompt-logprobs" })
 */
export class HttpNextTokenScorer implements NextTokenScorer {
  readonly modelId: string;
  readonly mode: LogprobsMode;
  readonly #o: Required<Omit<HttpNextTokenScorerOptions, "modelId" | "mode">>;

  constructor({ client, model, modelId = model, mode = "echo", topLogprobs = 20, parameters = 0, batchSize = 32 }: HttpNextTokenScorerOptions) {
    const bad = (field: string, value: unknown, accepted: string) => new InvalidOptionError({ field, value, accepted, where: "HttpNextTokenScorer" });
    if (!model) throw bad("model", model, "the served model's name");
    if (!LOGPROBS_MODES.includes(mode)) throw bad("mode", mode, LOGPROBS_MODES.join(", "));
    if (!Number.isInteger(topLogprobs) || topLogprobs < 1) throw bad("topLogprobs", topLogprobs, "an integer ≥ 1");
    if (!Number.isInteger(batchSize) || batchSize < 1) throw bad("batchSize", batchSize, "an integer ≥ 1");
    this.modelId = modelId;
    this.mode = mode;
    this.#o = { client, model, topLogprobs, parameters, batchSize };
  }

  async nextTokenScores({ text, cuts, candidates }: NextTokenQuery, signal?: AbortSignal): Promise<NextTokenScores> {
    if (cuts.length === 0) return { scores: [], usage: {} };
    const probes: Probe[] =
      this.mode === "top-logprobs"
        ? cuts.map((cut, row) => ({ prompt: text.slice(0, cut), row, cut, candidate: null }))
        : cuts.flatMap((cut, row) => candidates.map((c, i) => ({ prompt: text.slice(0, cut) + c, row, cut, candidate: i })));
    const batches: Probe[][] = [];
    for (let i = 0; i < probes.length; i += this.#o.batchSize) batches.push(probes.slice(i, i + this.#o.batchSize));
    const answers = await Promise.all(batches.map((batch) => this.#ask(batch, candidates, signal)));
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

  async #ask(batch: Probe[], candidates: readonly string[], signal?: AbortSignal): Promise<{ values: number[][]; usage: Usage }> {
    const fields = { echo: { echo: true, logprobs: 1 }, "prompt-logprobs": { prompt_logprobs: 0 }, "top-logprobs": { logprobs: this.#o.topLogprobs } }[this.mode];
    const { data } = await this.#o.client.completions({ model: this.#o.model, prompt: batch.map((p) => p.prompt), max_tokens: 1, temperature: 0, ...fields }, signal);
    const choices = [...data.choices].sort((a, b) => a.index - b.index);
    if (choices.length !== batch.length) {
      throw new MissingLogprobsError({ url: this.#url, detail: `asked about ${batch.length} prompts, got ${choices.length} answers`, hint: "the server must accept a list of prompts on /completions" });
    }
    const values = batch.map((probe, i) => {
      const choice = choices[i]!;
      if (probe.candidate === null) return this.#topAlternatives(choice, probe, candidates);
      const candidate = candidates[probe.candidate]!;
      return [this.mode === "echo" ? this.#echoed(choice, probe, candidate) : this.#promptLogprob(choice, probe, candidate)];
    });
    const counts = promptTokenCounts(data.usage);
    return { values, usage: callUsage(this.modelId, { parameters: this.#o.parameters, ...counts, completionTokens: data.usage?.completion_tokens ?? batch.length }) };
  }

  /** The appended candidate's log-probability among the echoed prompt tokens (it is the prompt's last token). */
  #echoed(choice: CompletionChoice, probe: Probe, candidate: string): number {
    const logprobs = choice.logprobs as { tokens?: string[]; token_logprobs?: (number | null)[]; text_offset?: number[] | null } | null | undefined;
    if (!logprobs?.tokens || !logprobs.token_logprobs) throw this.#missing("no echoed prompt log-probabilities", 'use mode "prompt-logprobs" (vLLM) or "top-logprobs" (llama.cpp, SGLang)');
    const { tokens, token_logprobs: lps, text_offset: offsets } = logprobs;
    // The prompt's last token is second to last (one token was generated) or last (a server that
    // lists no end-of-sequence token); text offsets, when consistent, point at it directly.
    const at = offsets ? offsets.indexOf(probe.prompt.length - candidate.length) : -1;
    for (const j of [at, tokens.length - 2, tokens.length - 1]) {
      if (j >= 0 && normalizePiece(tokens[j]!) === candidate && typeof lps[j] === "number") return lps[j]!;
    }
    throw this.#misaligned(probe, candidate, tokens.slice(-3));
  }

  /** vLLM's prompt_logprobs entry of the prompt's last token, the appended candidate. */
  #promptLogprob(choice: CompletionChoice, probe: Probe, candidate: string): number {
    const last = choice.prompt_logprobs?.at(-1);
    if (!last) throw this.#missing("no prompt_logprobs in the answer", 'use mode "echo" or "top-logprobs"');
    const entries = Object.values(last);
    const own = entries.find((e) => e.decoded_token != null && normalizePiece(e.decoded_token) === candidate) ?? (entries.length === 1 && entries[0]!.decoded_token == null ? entries[0] : undefined);
    if (!own) throw this.#misaligned(probe, candidate, entries.map((e) => e.decoded_token ?? "?"));
    return own.logprob;
  }

  /** The candidates' log-probabilities among the first generated token's top alternatives. */
  #topAlternatives(choice: CompletionChoice, probe: Probe, candidates: readonly string[]): number[] {
    const logprobs = choice.logprobs as { top_logprobs?: (Record<string, number> | null)[] | null; content?: { top_logprobs?: { token: string; logprob: number }[] | null }[] | null } | null | undefined;
    const first = logprobs?.top_logprobs?.[0] ?? Object.fromEntries((logprobs?.content?.[0]?.top_logprobs ?? []).map((t) => [t.token, t.logprob]));
    const listed = new Map<string, number>();
    for (const [token, lp] of Object.entries(first ?? {})) if (!listed.has(normalizePiece(token))) listed.set(normalizePiece(token), lp);
    if (listed.size === 0) throw this.#missing("no top log-probabilities for the generated token", "the server must support `logprobs` on /completions");
    const found = candidates.map((c) => listed.get(c));
    if (found.every((v) => v === undefined)) {
      throw this.#missing(
        `none of ${candidates.map((c) => JSON.stringify(c)).join(", ")} is among the ${listed.size} most likely tokens after ${JSON.stringify(probe.prompt.slice(-30))}`,
        'raise topLogprobs, or use mode "echo" / "prompt-logprobs" where the server offers them',
      );
    }
    const floor = Math.min(...listed.values());
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
