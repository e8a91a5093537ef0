import { vote } from "../../aggregation/vote.js";
import type { Candidate } from "../../core/candidate.js";
import { emptyModelUsage } from "../../core/usage.js";
import { DEFAULT_EVAL_CONFIG, type EvalConfig } from "../eval-config.js";
import type { EvalRecord } from "../eval-record.js";
import { SAMPLING_RULES } from "../sampling-strategies.js";
import type { RecordedProblem } from "./recorded-samples.js";

/** Model id under which replayed records count generations; their tokens and FLOPs were not recorded (0). */
export const RECORDED_MODEL = "recorded-samples";

/**
 * Recorded samples as the records a live `ponder eval` would write for the sampling strategies at
 * budgets `ks` (the first k samples; scores are sigmoid(reward)), so `ponder report` draws the
 * same tables and plots for real model outputs. Correctness is the file's own label.
 */
export function replayRecords(problems: readonly RecordedProblem[], { ks = [1, 2, 4, 8], canonical }: { ks?: readonly number[]; canonical: (answer: string) => string }): EvalRecord[] {
  return problems.flatMap((p) =>
    Object.entries(SAMPLING_RULES).flatMap(([strategy, rule]) =>
      ks.map((k): EvalRecord => {
        const samples = p.samples.slice(0, k);
        const candidates: Candidate[] = samples.map((s) => ({
          steps: [],
          finishReason: "end",
          answer: s.answer,
          answerKey: canonical(s.answer),
          ...(rule === "majority" ? {} : { score: 1 / (1 + Math.exp(-s.score)) }),
        }));
        const chosen = vote(candidates, rule);
        return {
          problemId: p.id,
          ...(p.level !== undefined ? { level: p.level } : {}),
          strategy,
          budget: k,
          seed: 0,
          answer: chosen === null ? null : candidates[chosen]!.answer,
          answerKey: chosen === null ? null : candidates[chosen]!.answerKey,
          gold: p.gold,
          correct: chosen !== null && samples[chosen]!.correct,
          candidates: candidates.map((c, i) => ({ text: "", finishReason: "end", answer: c.answer, answerKey: c.answerKey, ...(c.score !== undefined ? { score: c.score } : {}), correct: samples[i]!.correct })),
          usage: { [RECORDED_MODEL]: { ...emptyModelUsage(), generations: k, calls: k } },
          stoppedBy: "complete",
          subsampled: true,
          details: { replayed: true },
        };
      }),
    ),
  );
}

/** The configuration stored with replayed records. */
export function replayConfig(path: string, problems: string, ks: readonly number[]): EvalConfig {
  return {
    ...DEFAULT_EVAL_CONFIG,
    dataset: path,
    problems,
    policy: "recorded samples",
    verifier: "recorded reward scores",
    reviser: null,
    strategies: Object.keys(SAMPLING_RULES),
    budgets: [...ks],
    seeds: [0],
    temperature: 0.7,
  };
}
