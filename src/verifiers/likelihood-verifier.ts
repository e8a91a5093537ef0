import type { Token } from "node-llama-cpp";
import type { LlamaEngine } from "../backends/llama/llama-engine.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import type { Problem } from "../core/problem.js";
import { continuationPrompt, type PromptTemplate } from "../core/prompt-template.js";
import { currentRequestScope } from "../core/request-scope.js";
import { callUsage, type Usage } from "../core/usage.js";
import type { ScoreRequest, ScoreResult, Verifier } from "../core/verifier.js";
import { TokenAlignmentError } from "./errors/token-alignment-error.js";
import { StepScoreMemo } from "./step-score-memo.js";
import { scoreEach } from "./validate-score-requests.js";

export interface LikelihoodVerifierOptions {
  /** The language model whose probabilities score the steps (a policy, or a stronger model of the same format). */
  engine: LlamaEngine;
  /** The prompt format the model was trained on; steps are joined by its delimiter. */
  template: PromptTemplate;
  /** Step prefixes whose log-probabilities are remembered (default 16 384; 0 remembers none). */
  cacheSize?: number;
}

/**
 * A process verifier read off a language model's own probabilities (no reward head): step k's
 * score is the probability of the solution so far, exp(Σ_{j≤k} log P(step j | question, steps
 * before j)), where a step's log-probability sums its tokens' (its delimiter is not counted, so a
 * score does not depend on whether the solution ends there). In a task with one right next step,
 * a model that can do the task puts its mass on the right step, so a wrong step shows as an
 * improbable one; the score falls from the first such step on, as a PRM's should. Step prefixes
 * already scored are remembered, and only new steps are evaluated.
 * @example new LikelihoodVerifier({ engine: await LlamaEngine.load({ model: "models/revision.gguf" }), template: demoTemplate })
 */
export class LikelihoodVerifier implements Verifier {
  readonly modelId: string;
  readonly kind = "process" as const;
  readonly #engine: LlamaEngine;
  readonly #template: PromptTemplate;
  /** A step's log-probability, or null when the text up to its end does not fit the model's context. */
  readonly #memo: StepScoreMemo<number | null>;
  readonly #vocabulary: Token[];

  constructor({ engine, template, cacheSize = 16_384 }: LikelihoodVerifierOptions) {
    if (!Number.isInteger(cacheSize) || cacheSize < 0) throw new InvalidOptionError({ field: "cacheSize", value: cacheSize, accepted: "an integer ≥ 0", where: "LikelihoodVerifier" });
    this.#engine = engine;
    this.#template = template;
    this.modelId = `${engine.modelId}#likelihood`;
    this.#memo = new StepScoreMemo<number | null>(cacheSize);
    const size = (engine.raw.model.fileInfo.metadata as { tokenizer?: { ggml?: { tokens?: readonly unknown[] } } }).tokenizer?.ggml?.tokens?.length;
    if (!size) throw new TokenAlignmentError({ modelId: engine.modelId, detail: "the GGUF lists no tokenizer.ggml.tokens, so probabilities cannot be normalised over the vocabulary" });
    // A log-probability needs the whole vocabulary's logits (the demo vocabulary has 722 tokens).
    this.#vocabulary = Array.from({ length: size }, (_, i) => i as Token);
  }

  score(requests: readonly ScoreRequest[], signal?: AbortSignal): Promise<ScoreResult> {
    return scoreEach(requests, signal, (r) => this.#scoreOne(r, signal));
  }

  /**
   * A solution's step scores. Steps whose text (with the question) runs past the model's context are
   * not read: the scores stop before the first of them and the request is reported unscored, with
   * why, so that one overlong candidate never fails a search.
   */
  async #scoreOne({ problem, steps }: ScoreRequest, signal?: AbortSignal): Promise<{ scores: number[]; unscored?: string; usage: Usage }> {
    if (steps.length === 0) return { scores: [], usage: {} };
    const keys = StepScoreMemo.keys(`likelihood:${this.#template.name}`, problem, steps);
    const { scores: logProbs, usage } = await this.#memo.resolve(keys, (missing) => this.#stepLogProbs(problem, steps, missing, signal));
    const unread = logProbs.indexOf(null);
    const read = (unread < 0 ? logProbs : logProbs.slice(0, unread)) as number[];
    let sum = 0;
    return {
      scores: read.map((lp) => Math.exp((sum += lp))),
      ...(unread < 0 ? {} : { unscored: `step ${unread + 1} ends past ${this.#engine.modelId}'s context of ${this.#engine.contextSize} tokens` }),
      usage,
    };
  }

  /** log P(step i | question, steps before i) for each missing i, in one forward pass over the text up to the last of them. */
  async #stepLogProbs(problem: Problem, steps: readonly string[], missing: number[], signal?: AbortSignal): Promise<{ scores: (number | null)[]; usage: Usage }> {
    const last = Math.max(...missing);
    const text = continuationPrompt(this.#template, problem, steps.slice(0, last)) + steps[last]!;
    const tokens = this.#tokenize(text);
    // Each step's tokens run from where the text before it ends to where the step ends.
    const spans = missing.map((i) => {
      const begin = continuationPrompt(this.#template, problem, steps.slice(0, i));
      return [this.#boundary(text, tokens, begin.length), this.#boundary(text, tokens, begin.length + steps[i]!.length)] as const;
    });
    // Only steps that end within the context are read (a step's last token at position to - 1).
    const fits = spans.map(([, to]) => to <= this.#engine.contextSize);
    // A step's token at position p is read from the logits after position p - 1.
    const positions = [...new Set(spans.flatMap(([from, to], j) => (fits[j] ? Array.from({ length: to - from }, (_, k) => from + k - 1) : [])))].sort((a, b) => a - b);
    if (positions.length === 0) return { scores: missing.map((_, j) => (fits[j] ? 0 : null)), usage: {} };
    const evaluated = tokens.slice(0, positions.at(-1)! + 1);
    // Processed tokens are counted against the prefixes this request already gave the model (compute-axes.ts).
    const processedPromptTokens = currentRequestScope()?.ledger.admit(this.modelId, evaluated) ?? evaluated.length;
    const { logits, promptTokens, cachedPromptTokens } = await this.#engine.logitsAt(
      evaluated,
      positions.map((position) => ({ position, candidates: this.#vocabulary })),
      signal,
    );
    const logProbAt = new Map(positions.map((p, i) => [p + 1, logSoftmaxAt(logits[i]!, tokens[p + 1]!)]));
    const scores = spans.map(([from, to], j) => {
      if (!fits[j]) return null;
      let sum = 0;
      for (let p = from; p < to; p++) sum += logProbAt.get(p)!;
      return sum;
    });
    return { scores, usage: callUsage(this.modelId, { parameters: this.#engine.parameters, calls: 1, promptTokens, cachedPromptTokens, processedPromptTokens }) };
  }

  #tokenize(text: string): Token[] {
    return this.#template.specialTokens ? [...this.#engine.tokenize("", { bos: true }), ...this.#engine.tokenizeWithSpecials(text)] : this.#engine.tokenize(text, { bos: true });
  }

  /** How many of `tokens` spell `text.slice(0, cut)`; the cut must fall on a token boundary. */
  #boundary(text: string, tokens: readonly Token[], cut: number): number {
    const before = this.#tokenize(text.slice(0, cut));
    if (before.length > tokens.length || before.some((t, i) => t !== tokens[i])) {
      throw new TokenAlignmentError({
        modelId: this.modelId,
        detail: `the text before offset ${cut} (${JSON.stringify(text.slice(Math.max(0, cut - 20), cut))}) does not end on a token boundary, so its step's tokens cannot be told apart`,
      });
    }
    return before.length;
  }
}

/** log softmax(logits)[index], computed stably. */
function logSoftmaxAt(logits: readonly number[], index: number): number {
  let max = -Infinity;
  for (const l of logits) if (l > max) max = l;
  let sum = 0;
  for (const l of logits) sum += Math.exp(l - max);
  return logits[index]! - max - Math.log(sum);
}
