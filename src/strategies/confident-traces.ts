import type { Candidate } from "../core/candidate.js";
import { MissingConfidenceError } from "../core/errors/missing-confidence-error.js";
import { DEFAULT_CONFIDENCE_TOP_K, roundConfidence, SlidingConfidence, type ConfidenceSignal } from "../core/token-confidence.js";
import {
  selfCertaintyScore,
  summarizeTraceConfidence,
  traceConfidenceBy,
  validateConfidenceOptions,
  type ConfidenceMeasure,
  type TraceConfidence,
} from "../core/trace-confidence.js";
import { sampleSeed } from "./sample-and-vote.js";
import type { SearchRun } from "./search-run.js";
import { allSettled } from "./step-search.js";

/** Options of the strategies that read the policy's own confidence (DeepConf). */
export interface ConfidenceOptions {
  /**
   * What a token's confidence is: `likelihood` (default), the written token's own log-probability,
   * or `top-k`, DeepConf's spread of the most likely candidates. On the shipped policy, likelihood
   * ranks a problem's right samples above its wrong ones far better (within-problem AUROC ≈ 0.74
   * against ≈ 0.59 on validation seeds 7 and 8; bench/early-stopping.ts measures it on held-out ones).
   */
  confidenceSignal?: ConfidenceSignal;
  /** Candidates each token's `top-k` confidence is read from (default 20, what servers return). */
  confidenceTopK?: number;
  /** Tokens per group confidence, the sliding window (default 4, about half a step of the demo format; chosen on validation seeds 7–8). */
  confidenceWindow?: number;
  /** Tokens the `tail` measure averages (default 8). */
  confidenceTail?: number;
  /** The trace summary that ranks and weights traces (default `lowest-group`). */
  confidenceMeasure?: ConfidenceMeasure;
}

export interface ResolvedConfidence {
  signal: ConfidenceSignal;
  topK: number;
  window: number;
  tail: number;
  measure: ConfidenceMeasure;
}

/** Defaults, and errors naming a bad field. */
export function resolveConfidenceOptions(options: ConfidenceOptions, where: string): ResolvedConfidence {
  const {
    confidenceSignal: signal = "likelihood",
    confidenceTopK: topK = DEFAULT_CONFIDENCE_TOP_K,
    confidenceWindow: window = 4,
    confidenceTail: tail = 8,
    confidenceMeasure: measure = "lowest-group",
  } = options;
  validateConfidenceOptions({ measure, window, tail, topK, signal }, where);
  return { signal, topK, window, tail, measure };
}

/** One sampled trace and how sure the policy was writing it. */
export interface Trace {
  /** Sample index: drawn with seed sampleSeed(seed, index), so it is majority voting's sample `index`. */
  index: number;
  /** The trace as a candidate; a stopped trace states no answer. */
  candidate: Candidate;
  summary: TraceConfidence;
  /** Stopped before it finished, its group confidence below the threshold. */
  stopped: boolean;
}

/**
 * Draws traces `from` … `from + count − 1` at once, each with its token confidences. With
 * `stopBelow`, a trace is stopped at the first token where the mean confidence of its last `window`
 * tokens falls below it; the engine frees its sequence (a server its stream) there and then, and
 * its tokens are counted like any other. Whether a trace stops depends on its own tokens alone, so
 * the result is the same whichever trace the engine finishes first.
 */
export async function drawTraces(run: SearchRun, from: number, count: number, confidence: ResolvedConfidence, stopBelow?: number): Promise<Trace[]> {
  return allSettled(
    Array.from({ length: count }, async (_, i) => {
      const index = from + i;
      const group = new SlidingConfidence(confidence.window);
      const onToken =
        stopBelow === undefined
          ? undefined
          : ({ confidence: c }: { confidence?: number }) => {
              const mean = c === undefined ? undefined : group.push(c);
              return mean !== undefined && roundConfidence(mean) < stopBelow ? ("stop" as const) : undefined;
            };
      const [continuation] = await run.generate({
        until: "solution",
        seed: sampleSeed(run.options.seed, index),
        confidence: { signal: confidence.signal, topK: confidence.topK },
        ...(onToken ? { onToken } : {}),
      });
      const c = continuation!;
      if (!c.tokenConfidences) {
        throw new MissingConfidenceError({
          modelId: run.deps.generator.modelId,
          detail: `strategy ${run.strategy} needs token confidence and this generator returned none (the embedded engine measures it; an OpenAI-compatible server needs streaming with top_logprobs)`,
        });
      }
      return { index, candidate: run.solution(c), summary: summarizeTraceConfidence(c.tokenConfidences, confidence), stopped: c.finishReason === "stopped" };
    }),
  );
}

/** A trace's confidence by the chosen measure. */
export function traceConfidence(trace: Trace, confidence: ResolvedConfidence): number {
  return traceConfidenceBy(trace.summary, confidence.measure);
}

/** The trace as a candidate scored by its self-certainty (its weight in a vote), or 0 when it does not vote. */
export function weighted(trace: Trace, confidence: ResolvedConfidence, votes: boolean): Candidate {
  return { ...trace.candidate, score: votes && !trace.stopped ? selfCertaintyScore(traceConfidence(trace, confidence), confidence) : 0 };
}
