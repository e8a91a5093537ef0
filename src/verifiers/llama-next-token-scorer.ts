import type { Token } from "../backends/llama/token.js";
import type { LlamaEngine } from "../backends/llama/llama-engine.js";
import { currentRequestScope } from "../core/request-scope.js";
import { callUsage } from "../core/usage.js";
import { TokenAlignmentError } from "./errors/token-alignment-error.js";
import type { NextTokenQuery, NextTokenScorer, NextTokenScores } from "./next-token-scorer.js";

/**
 * Next-token logits from the embedded engine: one forward pass reads every cut, and the KV cache
 * of a prefix scored before (the steps a beam already had) is reused. Concurrent calls are decoded
 * together by the engine. A cut past the model's context is reported as unread rather than failing
 * the whole query, so one candidate whose text re-tokenizes long never stops a search.
 * @example const scorer = new LlamaNextTokenScorer(await LlamaEngine.load({ model: "models/prm.gguf" }));
 */
export class LlamaNextTokenScorer implements NextTokenScorer {
  readonly modelId: string;
  readonly engine: LlamaEngine;
  readonly #candidateIds = new Map<string, Token>();

  constructor(engine: LlamaEngine, { modelId = engine.modelId }: { modelId?: string } = {}) {
    this.engine = engine;
    this.modelId = modelId;
  }

  async nextTokenScores({ text, cuts, candidates, specialTokens = false }: NextTokenQuery, signal?: AbortSignal): Promise<NextTokenScores> {
    const ids = candidates.map((c) => this.#candidate(c));
    if (cuts.length === 0) return { scores: [], usage: {} };
    const tokens = this.#tokenize(text, specialTokens);
    const unread: { index: number; reason: string }[] = [];
    const readTokens: number[] = [];
    const positions = cuts.map((cut, index) => {
      // The read point must be a token boundary of the whole text's tokenization, or the model
      // would be read where it never was during training.
      const before = this.#tokenize(text.slice(0, cut), specialTokens);
      readTokens.push(before.length);
      const aligned = before.length <= tokens.length && before.every((t, i) => t === tokens[i]);
      if (!aligned) {
        // A token across the read point joins the format's tag with the text after it: the format
        // does not fit this model, whatever the candidate, so this is not one candidate's problem.
        throw new TokenAlignmentError({
          modelId: this.modelId,
          detail: `the text before offset ${cut} (${JSON.stringify(text.slice(Math.max(0, cut - 20), cut))}) does not end on a token boundary; the format's tag merges with what follows it`,
        });
      }
      if (before.length > this.engine.contextSize) {
        // Re-tokenized, generated text can be far longer than the tokens the generator sampled.
        unread.push({ index, reason: `${this.modelId} reads this step at token ${before.length}, beyond its context of ${this.engine.contextSize} tokens (the text is ${tokens.length} tokens as it tokenizes it); the steps before were scored` });
        return null;
      }
      return before.length - 1;
    });
    const readable = positions.filter((p): p is number => p !== null);
    const scores: number[][] = positions.map(() => []);
    if (readable.length === 0) return { scores, unread, readTokens, usage: {} };
    // Tokens after the last read point change nothing that is read, so they are not evaluated.
    const evaluated = tokens.slice(0, Math.max(...readable) + 1);
    const processedPromptTokens = currentRequestScope()?.ledger.admit(this.modelId, evaluated) ?? evaluated.length;
    const { logits, promptTokens, cachedPromptTokens } = await this.engine.logitsAt(
      evaluated,
      readable.map((position) => ({ position, candidates: ids })),
      signal,
    );
    let next = 0;
    positions.forEach((p, i) => {
      if (p !== null) scores[i] = logits[next++]!;
    });
    return {
      scores,
      ...(unread.length > 0 ? { unread } : {}),
      readTokens,
      usage: callUsage(this.modelId, { parameters: this.engine.parameters, calls: 1, promptTokens, cachedPromptTokens, processedPromptTokens }),
    };
  }

  #tokenize(text: string, specialTokens: boolean): Token[] {
    return specialTokens ? [...this.engine.tokenize("", { bos: true }), ...this.engine.tokenizeWithSpecials(text)] : this.engine.tokenize(text, { bos: true });
  }

  #candidate(text: string): Token {
    let id = this.#candidateIds.get(text);
    if (id === undefined) {
      id = this.engine.tokenOf(text);
      if (id === undefined) throw new TokenAlignmentError({ modelId: this.modelId, detail: `candidate ${JSON.stringify(text)} is not a single token of the vocabulary` });
      this.#candidateIds.set(text, id);
    }
    return id;
  }
}
