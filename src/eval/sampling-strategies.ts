import { vote, type VoteRule } from "../aggregation/vote.js";
import type { Candidate } from "../core/candidate.js";
import { addUsage, processedPromptTokens, type Usage } from "../core/usage.js";
import type { StrategyResult } from "../strategies/strategy.js";

/** One sample at temperature 0: the baseline a larger model is compared by. Runs as `majority` at budget 1. */
export const GREEDY = "greedy";

/**
 * Strategies whose sample i does not depend on N, with the rule that selects among the samples.
 * A run at the largest budget yields every smaller budget by re-voting its first n samples.
 */
export const SAMPLING_RULES: Readonly<Record<string, VoteRule>> = {
  majority: "majority",
  "best-of-n": "best",
  "weighted-best-of-n": "weighted",
};

export function isSamplingStrategy(name: string): boolean {
  return name in SAMPLING_RULES;
}

/**
 * The result a run at budget `n` would have given, from a run at a larger budget: its first `n`
 * candidates re-voted. Policy usage is the sum of those candidates' own usage; usage they do not
 * carry (the verifier's batched scoring) is shared in proportion to the candidates kept.
 */
export function subsampleResult(full: StrategyResult, n: number): StrategyResult {
  const rule = SAMPLING_RULES[full.strategy];
  if (!rule) throw new Error(`subsampleResult: ${full.strategy} is not a sampling strategy`);
  if (!Number.isInteger(n) || n < 1) throw new Error(`subsampleResult: n must be an integer ≥ 1, got ${n}`);
  const total = full.candidates.length;
  // A token cap can leave fewer samples than n: the run at n would have stopped the same way.
  if (n >= total) return { ...full, budget: { ...full.budget, generations: n } };
  const candidates = full.candidates.slice(0, n);
  const index = vote(candidates, rule);
  const chosen = index === null ? null : candidates[index]!;
  return {
    ...full,
    answer: chosen?.answer ?? null,
    answerKey: chosen?.answerKey ?? null,
    chosen,
    candidates,
    usage: subsampleUsage(full.usage, full.candidates, n),
    budget: { ...full.budget, generations: n },
    stoppedBy: "complete",
    details: { ...full.details, samples: n },
  };
}

function subsampleUsage(usage: Usage, candidates: readonly Candidate[], n: number): Usage {
  const kept = candidates.slice(0, n);
  const own = kept.reduce<Usage>((sum, c) => (c.usage ? addUsage(sum, c.usage) : sum), {});
  const carried = new Set(kept.flatMap((c) => Object.keys(c.usage ?? {})));
  const out: Usage = { ...own };
  for (const [model, u] of Object.entries(usage)) {
    if (carried.has(model)) {
      // Wall time is not additive over concurrent samples: give the kept share of the whole run's.
      out[model] = { ...out[model]!, wallMs: (u.wallMs * n) / candidates.length };
      continue;
    }
    const share = n / candidates.length;
    out[model] = {
      generations: Math.round(u.generations * share),
      calls: u.calls * share,
      promptTokens: u.promptTokens * share,
      cachedPromptTokens: u.cachedPromptTokens * share,
      processedPromptTokens: processedPromptTokens(u) * share,
      completionTokens: u.completionTokens * share,
      flops: u.flops * share,
      wallMs: u.wallMs * share,
    };
  }
  return out;
}
