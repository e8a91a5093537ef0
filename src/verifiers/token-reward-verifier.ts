import { throwIfAborted } from "../core/errors/aborted-error.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import { addUsage, callUsage, type Usage } from "../core/usage.js";
import type { ScoreRequest, ScoreResult, Verifier } from "../core/verifier.js";
import type { NextTokenScorer } from "./next-token-scorer.js";
import { StepScoreMemo } from "./step-score-memo.js";
import { renderTokenReward, validateTokenRewardFormat, type TokenRewardFormat } from "./token-reward-format.js";
import { validateScoreRequests } from "./validate-score-requests.js";

export interface TokenRewardVerifierOptions {
  /** Where next-token probabilities come from: the embedded engine or an OpenAI-compatible server. */
  scorer: NextTokenScorer;
  format: TokenRewardFormat;
  /** `process` (default) scores every step; `outcome` joins the steps into one and scores the whole solution. */
  kind?: "process" | "outcome";
  /** `outcome`: what joins the steps (default "\n", the demo models' step delimiter). */
  join?: string;
  /** Step prefixes whose scores are remembered (default 16 384; 0 remembers none). */
  cacheSize?: number;
}

/**
 * A reward model read off next-token probabilities (Math-Shepherd, RLHFlow, ponder's demo PRM, or
 * any causal LM prompted to answer "+" or "-"): a step's score is the softmax of the positive and
 * negative tokens' logits at that step's read point. Step prefixes already scored are remembered,
 * and only the new steps of a candidate are read.
 * @example new TokenRewardVerifier({ scorer: new LlamaNextTokenScorer(engine), format: demoPrmFormat })
 */
export class TokenRewardVerifier implements Verifier {
  readonly modelId: string;
  readonly kind: "process" | "outcome";
  readonly format: TokenRewardFormat;
  readonly #scorer: NextTokenScorer;
  readonly #join: string;
  readonly #memo: StepScoreMemo<StepRead>;

  constructor({ scorer, format, kind = "process", join = "\n", cacheSize = 16_384 }: TokenRewardVerifierOptions) {
    if (kind !== "process" && kind !== "outcome") throw new InvalidOptionError({ field: "kind", value: kind, accepted: '"process" or "outcome"', where: "TokenRewardVerifier" });
    if (!Number.isInteger(cacheSize) || cacheSize < 0) throw new InvalidOptionError({ field: "cacheSize", value: cacheSize, accepted: "an integer ≥ 0", where: "TokenRewardVerifier" });
    this.format = validateTokenRewardFormat(format, "TokenRewardVerifier");
    this.kind = kind;
    this.modelId = scorer.modelId;
    this.#scorer = scorer;
    this.#join = join;
    this.#memo = new StepScoreMemo<StepRead>(cacheSize);
  }

  async score(requests: readonly ScoreRequest[], signal?: AbortSignal): Promise<ScoreResult> {
    throwIfAborted(signal);
    validateScoreRequests(requests);
    const results = await Promise.all(requests.map((r) => this.#scoreOne(r, signal)));
    const unscored = results.flatMap((r, index) => (r.unscored === undefined ? [] : [{ index, reason: r.unscored }]));
    return {
      stepScores: results.map((r) => r.scores),
      ...(unscored.length > 0 ? { unscored } : {}),
      usage: results.reduce<Usage>((sum, r) => addUsage(sum, r.usage), {}),
    };
  }

  async #scoreOne({ problem, steps, scope = "" }: ScoreRequest, signal?: AbortSignal): Promise<{ scores: number[]; unscored?: string; usage: Usage }> {
    if (steps.length === 0) return { scores: [], usage: {} };
    const units = this.kind === "outcome" ? [steps.join(this.#join)] : steps;
    const keys = StepScoreMemo.keys(`${scope}\u0000${this.kind}:${this.format.name}`, problem, units);
    const { scores: reads, usage } = await this.#memo.resolve(keys, async (missing) => {
      // Only the steps up to the last one asked about are rendered: later ones change nothing read.
      const { text, cuts } = renderTokenReward(this.format, problem, units.slice(0, Math.max(...missing) + 1));
      const { positive, negative, specialTokens } = this.format;
      const result = await this.#scorer.nextTokenScores({ text, cuts: missing.map((i) => cuts[i]!), candidates: [positive, negative], specialTokens }, signal);
      const unread = new Map((result.unread ?? []).map((u) => [u.index, u.reason]));
      const read = missing.map((_, j): StepRead => {
        const tokens = result.readTokens?.[j];
        const reason = unread.get(j);
        if (reason !== undefined) return { unread: reason };
        const [pos, neg] = result.scores[j]!;
        return { score: twoWaySoftmax(pos!, neg!), ...(tokens !== undefined ? { tokens } : {}) };
      });
      return { scores: read, usage: result.usage };
    });
    const firstUnread = reads.findIndex((r) => "unread" in r);
    const scored = (firstUnread < 0 ? reads : reads.slice(0, firstUnread)) as { score: number; tokens?: number }[];
    return {
      scores: scored.map((r) => r.score),
      ...(firstUnread < 0 ? {} : { unscored: (reads[firstUnread] as { unread: string }).unread }),
      usage: addUsage(usage, this.#memoCharge(reads, usage)),
    };
  }

  /**
   * What the memo served this request, charged as cached prompt tokens: the tokens reading its last
   * readable step takes, less those actually sent. A request is then charged the same whether it
   * or a concurrent one scored a shared prefix first, so a run's usage never depends on scheduling.
   */
  #memoCharge(reads: readonly StepRead[], usage: Usage): Usage {
    const wanted = Math.max(0, ...reads.map((r) => ("tokens" in r && r.tokens !== undefined ? r.tokens : 0)));
    const sent = usage[this.modelId] ? usage[this.modelId]!.promptTokens + usage[this.modelId]!.cachedPromptTokens : 0;
    return wanted > sent ? callUsage(this.modelId, { parameters: 0, cachedPromptTokens: wanted - sent }) : {};
  }
}

/** What is known of one step: its score (and the tokens read to reach it), or why it cannot be read. */
type StepRead = { score: number; tokens?: number } | { unread: string };

/** P(first) in a softmax over two logits (or log-probabilities). */
export function twoWaySoftmax(first: number, second: number): number {
  if (first === second) return 0.5;
  const p = 1 / (1 + Math.exp(second - first));
  if (Number.isNaN(p)) throw new RangeError(`cannot compare logits ${first} and ${second}`);
  return p;
}
