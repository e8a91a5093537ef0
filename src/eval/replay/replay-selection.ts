import { vote, type VoteRule } from "../../aggregation/vote.js";
import type { Candidate } from "../../core/candidate.js";
import { deriveSeed, shuffled } from "../../core/rng.js";
import { accuracyWithCi, type AccuracyEstimate } from "../metrics/bootstrap-accuracy.js";
import type { RecordedProblem, RecordedSample } from "./recorded-samples.js";

/** Selection rules replay compares: the live strategies' votes, plus pass@k (any sample right) as the ceiling. */
export type ReplayRule = "majority" | "weighted" | "best" | "pass";

/** `first`: the first k samples of each problem; `random`: the mean over seeded random subsets of k. */
export type ReplaySubsets = "first" | "random";

export interface ReplayFigure {
  rule: ReplayRule;
  k: number;
  subsets: ReplaySubsets;
  /** Accuracy over problems with its bootstrap interval. */
  estimate: AccuracyEstimate;
}

export interface ReplayOptions {
  ks?: readonly number[];
  rules?: readonly ReplayRule[];
  subsets?: readonly ReplaySubsets[];
  /** Random subsets drawn per problem and k (default 200). */
  draws?: number;
  seed?: number;
  /** Canonical form of an answer: samples group by it when voting (default: the answer with spaces removed). */
  canonical?: (answer: string) => string;
}

/**
 * Evaluates selection rules on recorded samples: for each k, how often the answer the rule picks
 * from k samples is right (by the file's own labels). `weighted` sums sigmoid(reward) per answer,
 * because reward model scores are logits that may be negative and a sum needs positive weights;
 * `best` takes the single highest reward.
 * @example replaySelection(loadRecordedSamples(path), { ks: [1, 2, 4, 8] })
 */
export function replaySelection(problems: readonly RecordedProblem[], options: ReplayOptions = {}): ReplayFigure[] {
  const { ks = [1, 2, 4, 8], rules = ["majority", "weighted", "best", "pass"], subsets = ["first", "random"], draws = 200, seed = 0 } = options;
  const canonical = options.canonical ?? ((a: string) => a.replace(/\s+/g, ""));
  const available = Math.min(...problems.map((p) => p.samples.length));
  for (const k of ks) {
    if (!Number.isInteger(k) || k < 1 || k > available) throw new RangeError(`k must be an integer from 1 to ${available} (the fewest samples a problem has), got ${k}`);
  }
  const figures: ReplayFigure[] = [];
  for (const subset of subsets) {
    for (const rule of rules) {
      for (const k of ks) {
        const outcomes = new Map<string, boolean[]>();
        for (const p of problems) {
          const picks = subset === "first" ? [p.samples.slice(0, k)] : Array.from({ length: draws }, (_, d) => shuffled(p.samples, deriveSeed(seed, p.id, k, d)).slice(0, k));
          outcomes.set(p.id, picks.map((s) => selectCorrect(s, rule, canonical)));
        }
        figures.push({ rule, k, subsets: subset, estimate: accuracyWithCi(outcomes, { seed }) });
      }
    }
  }
  return figures;
}

/** Whether `rule` picks a correct answer from `samples`. */
export function selectCorrect(samples: readonly RecordedSample[], rule: ReplayRule, canonical: (answer: string) => string): boolean {
  if (rule === "pass") return samples.some((s) => s.correct);
  const candidates: Candidate[] = samples.map((s) => ({
    steps: [],
    finishReason: "end",
    answer: s.answer,
    answerKey: canonical(s.answer),
    ...(rule === "majority" ? {} : { score: sigmoid(s.score) }),
  }));
  const index = vote(candidates, rule as VoteRule);
  return index !== null && samples[index]!.correct;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
