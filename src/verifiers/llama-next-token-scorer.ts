import type { Token } from "node-llama-cpp";
import type { LlamaEngine } from "../backends/llama/llama-engine.js";
import { currentRequestScope } from "../core/request-scope.js";
import { callUsage } from "../core/usage.js";
import { TokenAlignmentError } from "./errors/token-alignment-error.js";
import type { NextTokenQuery, NextTokenScorer, NextTokenScores } from "./next-token-scorer.js";

/**
 * Next-token logits from the embedded engine: one forward pass reads every cut, and the KV cache
 * of a prefix scored before (the steps a beam already had) is reused. Concurrent calls are decoded
 * together by the engine.
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
    const positions = cuts.map((cut) => {
      // The read point must be a token boundary of the whole text's tokenization, or the model
      // would be read where it never was during training.
      const before = this.#tokenize(text.slice(0, cut), specialTokens);
      const aligned = before.length <= tokens.length && before.every((t, i) => t === tokens[i]);
      if (!aligned) {
        throw new TokenAlignmentError({
          modelId: this.modelId,
          detail: `the text before offset ${cut} (${JSON.stringify(text.slice(Math.max(0, cut - 20), cut))}) does not end on a token boundary; the format's tag merges with what follows it`,
        });
      }
      return before.length - 1;
    });
    // Tokens after the last read point change nothing that is read, so they are not evaluated.
    const evaluated = tokens.slice(0, Math.max(...positions) + 1);
    const processedPromptTokens = currentRequestScope()?.ledger.admit(this.modelId, evaluated) ?? evaluated.length;
    const { logits, promptTokens, cachedPromptTokens } = await this.engine.logitsAt(
      evaluated,
      positions.map((position) => ({ position, candidates: ids })),
      signal,
    );
    return { scores: logits, usage: callUsage(this.modelId, { parameters: this.engine.parameters, calls: 1, promptTokens, cachedPromptTokens, processedPromptTokens }) };
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
