import type { EvalRecord, RecordedCandidate } from "../src/eval/eval-record.js";

/** A record for metric tests: `correct` outcome, candidates from `samples` (true = a correct sample, scored `score`). */
export function metricRecord(
  problemId: string,
  strategy: string,
  budget: number,
  correct: boolean,
  { seed = 0, samples = [], score = 0.5, flops = 100 * budget, tokens = 10 * budget, model = "small", level }: { seed?: number; samples?: boolean[]; score?: number; flops?: number; tokens?: number; model?: string; level?: number } = {},
): EvalRecord {
  const candidates: RecordedCandidate[] = samples.map((ok) => ({ text: "", finishReason: "end", answer: ok ? "1" : "2", answerKey: ok ? "1" : "2", correct: ok, score }));
  return {
    problemId, strategy, budget, seed, answer: null, answerKey: null, gold: "1", correct, candidates,
    ...(level !== undefined ? { level } : {}),
    usage: { [model]: { generations: budget, calls: budget, promptTokens: tokens / 2, cachedPromptTokens: 0, completionTokens: tokens / 2, flops, wallMs: 0 } },
    stoppedBy: "complete", subsampled: false, details: {},
  };
}
