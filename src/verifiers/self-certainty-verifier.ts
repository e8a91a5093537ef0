import type { Token } from "node-llama-cpp";
import type { LlamaGenerator } from "../backends/llama/llama-generator.js";
import { commonPrefixLength } from "../backends/llama/sequence-pool.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import { continuationPrompt } from "../core/prompt-template.js";
import { currentRequestScope } from "../core/request-scope.js";
import { confidenceOf, DEFAULT_CONFIDENCE_TOP_K, type ConfidenceSignal } from "../core/token-confidence.js";
import { selfCertaintyScore, summarizeTraceConfidence, traceConfidenceBy, validateConfidenceOptions, type ConfidenceMeasure } from "../core/trace-confidence.js";
import { callUsage, type Usage } from "../core/usage.js";
import type { ScoreRequest, ScoreResult, Verifier } from "../core/verifier.js";
import { scoreEach } from "./validate-score-requests.js";

export interface SelfCertaintyVerifierOptions {
  /** The policy whose own confidence scores solutions: an embedded generator (its engine and prompt template). */
  policy: LlamaGenerator;
  /** `process` (default): step j scores the solution up to and including step j; `outcome`: one score for the whole. */
  kind?: "process" | "outcome";
  /** What a token's confidence is: `likelihood` (default), the log-probability of the token read; or `top-k`, DeepConf's spread of the `topK` most likely. */
  signal?: ConfidenceSignal;
  /** Candidates each token's `top-k` confidence is read from (default 20). */
  topK?: number;
  /** Tokens per group confidence (default 4). */
  window?: number;
  /** Tokens the `tail` measure averages (default 8). */
  tail?: number;
  /** The trace summary that becomes the score (default `mean`). */
  measure?: ConfidenceMeasure;
}

/**
 * The policy's own certainty as a verifier, for users without a reward model: a solution is scored
 * by how sure the policy was of each token it reads (DeepConf's token confidence, summarised over
 * the solution and mapped into [0, 1) by 1 − ln k / C). It goes wherever a verifier's score goes:
 * weighted best-of-N, beam search pruning, `auto`'s difficulty probe. One forward pass of the policy
 * per solution; a prompt (or a beam's earlier steps) already in the engine's KV cache is not
 * evaluated again, so scoring solutions the same engine just wrote costs little.
 * @example new SelfCertaintyVerifier({ policy: new LlamaGenerator(engine, demoTemplate) })
 */
export class SelfCertaintyVerifier implements Verifier {
  readonly modelId: string;
  readonly kind: "process" | "outcome";
  readonly #policy: LlamaGenerator;
  readonly #options: { signal: ConfidenceSignal; topK: number; window: number; tail: number; measure: ConfidenceMeasure };

  constructor({ policy, kind = "process", signal = "likelihood", topK = DEFAULT_CONFIDENCE_TOP_K, window = 4, tail = 8, measure = "mean" }: SelfCertaintyVerifierOptions) {
    if (kind !== "process" && kind !== "outcome") throw new InvalidOptionError({ field: "kind", value: kind, accepted: '"process" or "outcome"', where: "SelfCertaintyVerifier" });
    if (!policy?.engine) throw new InvalidOptionError({ field: "policy", value: policy, accepted: "an embedded policy (a LlamaGenerator)", where: "SelfCertaintyVerifier" });
    validateConfidenceOptions({ measure, window, tail, topK, signal }, "SelfCertaintyVerifier");
    this.kind = kind;
    this.#policy = policy;
    this.#options = { signal, topK, window, tail, measure };
    this.modelId = `${policy.modelId}/self-certainty`;
  }

  score(requests: readonly ScoreRequest[], signal?: AbortSignal): Promise<ScoreResult> {
    return scoreEach(requests, signal, (r) => this.#scoreOne(r, signal));
  }

  /**
   * A solution's scores from the policy's confidence in its own tokens. A text longer than the
   * policy's context is read as far as it fits: the steps that end within it are scored, and the
   * request is reported unscored, with why, from the first that does not (an outcome score needs
   * the whole solution), so that one overlong candidate never fails a search.
   */
  async #scoreOne({ problem, steps }: ScoreRequest, signal?: AbortSignal): Promise<{ scores: number[]; unscored?: string; usage: Usage }> {
    if (steps.length === 0) return { scores: [], usage: {} };
    const { engine, template } = this.#policy;
    const delimiter = template.stepDelimiter;
    const prompt = continuationPrompt(template, problem, []);
    const solution = steps.join(delimiter);
    const whole = this.#tokenize(prompt + solution);
    const tokens = whole.slice(0, engine.contextSize);
    const from = Math.max(1, commonPrefixLength(this.#tokenize(prompt), tokens));
    const beyond = `the solution runs past ${engine.modelId}'s context of ${engine.contextSize} tokens`;
    const cut = whole.length > tokens.length;
    // Nothing to read when no solution token fits, or when an outcome score would need the part cut off.
    if (from >= tokens.length || (cut && this.kind === "outcome")) return { scores: [], unscored: beyond, usage: {} };
    // Admitted before the await, as the generator does, so the request's processed tokens do not depend on scheduling.
    const processedPromptTokens = currentRequestScope()?.ledger.admit(this.modelId, tokens) ?? tokens.length;
    const { logprobs, promptTokens, cachedPromptTokens } = await engine.logprobsAt(tokens, from, this.#options.topK, signal);
    const usage = callUsage(this.modelId, { parameters: engine.parameters, calls: 1, promptTokens, cachedPromptTokens, processedPromptTokens });
    const confidences = logprobs.map(({ top, chosen }) => confidenceOf(this.#options.signal, top, chosen, this.#options.topK));
    // Which token ends each step: the first whose text reaches the step's end in the solution.
    const ends = steps.map((_, j) => steps.slice(0, j + 1).join(delimiter).length);
    const solutionTokens = tokens.slice(from);
    const reached: number[] = [];
    for (let i = 0; i < solutionTokens.length; i++) reached.push(engine.detokenize(solutionTokens.slice(0, i + 1)).length);
    // Tokens up to a step's end; -1 when it ends past the context.
    const upTo = (end: number) => {
      const i = reached.findIndex((length) => length >= end);
      return i >= 0 ? i + 1 : cut ? -1 : confidences.length;
    };
    const scoreOf = (count: number) => {
      const summary = summarizeTraceConfidence(confidences.slice(0, count), this.#options);
      return selfCertaintyScore(traceConfidenceBy(summary, this.#options.measure), this.#options);
    };
    if (this.kind === "outcome") return { scores: [scoreOf(confidences.length)], usage };
    const counts = ends.map(upTo);
    const unread = counts.indexOf(-1);
    const scores = (unread < 0 ? counts : counts.slice(0, unread)).map(scoreOf);
    return { scores, ...(unread < 0 ? {} : { unscored: `step ${unread + 1}: ${beyond}` }), usage };
  }

  #tokenize(text: string): Token[] {
    const { engine, template } = this.#policy;
    return template.specialTokens ? [...engine.tokenize("", { bos: true }), ...engine.tokenizeWithSpecials(text)] : engine.tokenize(text, { bos: true });
  }
}
