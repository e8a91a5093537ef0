import { vote, type VoteRule } from "../../src/aggregation/vote.js";
import type { Candidate } from "../../src/core/candidate.js";
import type { Problem } from "../../src/core/problem.js";
import { totalUsage } from "../../src/core/usage.js";
import { syntheticAnswerReader } from "../../src/datasets/synthetic/synthetic-answer-reader.js";
import type { StrategyResult } from "../../src/strategies/strategy.js";

/** What one strategy did on one problem. */
export interface Outcome {
  correct: boolean;
  /** Tokens the policy generated, stopped traces' included. */
  tokens: number;
  /** Solutions begun. */
  samples: number;
  flops: number;
  /** What `auto` chose, when it ran. */
  chosen?: string;
  /** Traces stopped early, when the strategy stops them. */
  stopped?: number;
}

export function isRight(problem: Problem, answerKey: string | null): boolean {
  return answerKey !== null && answerKey === syntheticAnswerReader.canonical(problem.answer!);
}

export function outcomeOf(problem: Problem, result: StrategyResult): Outcome {
  const u = totalUsage(result.usage);
  return {
    correct: isRight(problem, result.answerKey),
    tokens: u.completionTokens,
    samples: u.generations,
    flops: u.flops,
    ...(typeof result.details.chosen === "string" ? { chosen: result.details.chosen } : {}),
    ...(typeof result.details.stopped === "number" ? { stopped: result.details.stopped } : {}),
  };
}

/** A vote over the first `n` of a run's candidates, with their own usage: what the strategy would have done at budget n. */
export function revote(problem: Problem, candidates: readonly Candidate[], n: number, rule: VoteRule, weight?: (c: Candidate, i: number) => number): Outcome {
  const first = candidates.slice(0, n).map((c, i) => (weight ? { ...c, score: weight(c, i) } : c));
  const i = vote(first, rule);
  const usage = first.map((c) => totalUsage(c.usage ?? {}));
  return {
    correct: i !== null && isRight(problem, first[i]!.answerKey),
    tokens: usage.reduce((s, u) => s + u.completionTokens, 0),
    samples: n,
    flops: usage.reduce((s, u) => s + u.flops, 0),
  };
}

/** Indices of the ⌈η% · n⌉ highest-scored of the first n (ties: the earlier), as deepconf-offline keeps them. */
export function topShare(candidates: readonly Candidate[], n: number, keepPercent: number): Set<number> {
  const count = Math.max(1, Math.ceil((n * keepPercent) / 100));
  return new Set(
    candidates
      .slice(0, n)
      .map((c, i) => [c.score ?? 0, i] as const)
      .sort((a, b) => b[0] - a[0] || a[1] - b[1])
      .slice(0, count)
      .map(([, i]) => i),
  );
}
