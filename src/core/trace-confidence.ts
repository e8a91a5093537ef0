import { InvalidOptionError } from "./errors/invalid-option-error.js";
import { CONFIDENCE_SIGNALS, groupConfidences, roundConfidence, type ConfidenceSignal } from "./token-confidence.js";

/** One trace's confidence, summarised the ways DeepConf compares (arXiv 2508.15260, section 3). */
export interface TraceConfidence {
  /** Mean token confidence over the whole trace. */
  mean: number;
  /** The lowest group (sliding-window) confidence: the trace's weakest stretch. */
  lowestGroup: number;
  /** Mean of the lowest 10% of its group confidences. */
  bottom10: number;
  /** Mean token confidence over its last `tail` tokens, where the answer is written. */
  tail: number;
}

/** How a trace's confidence is read, by name (`--confidence-measure`). */
export const CONFIDENCE_MEASURES = ["lowest-group", "bottom-10", "tail", "mean"] as const;
export type ConfidenceMeasure = (typeof CONFIDENCE_MEASURES)[number];

export interface TraceConfidenceOptions {
  /** Tokens per group (sliding window). */
  window: number;
  /** Tokens at the end that `tail` averages. */
  tail: number;
}

/**
 * Summaries of a trace's token confidences, rounded to CONFIDENCE_RESOLUTION so that a seed
 * reproduces them. An empty trace (it ended at once) has confidence 0 by every measure.
 * @example summarizeTraceConfidence(continuation.tokenConfidences!, { window: 8, tail: 8 }).lowestGroup
 */
export function summarizeTraceConfidence(confidences: readonly number[], { window, tail }: TraceConfidenceOptions): TraceConfidence {
  if (confidences.length === 0) return { mean: 0, lowestGroup: 0, bottom10: 0, tail: 0 };
  const groups = groupConfidences(confidences, window).sort((a, b) => a - b);
  const bottom = groups.slice(0, Math.max(1, Math.ceil(groups.length * 0.1)));
  return {
    mean: roundConfidence(average(confidences)),
    lowestGroup: roundConfidence(groups[0]!),
    bottom10: roundConfidence(average(bottom)),
    tail: roundConfidence(average(confidences.slice(-tail))),
  };
}

/** The summary a measure names. */
export function traceConfidenceBy(summary: TraceConfidence, measure: ConfidenceMeasure): number {
  switch (measure) {
    case "lowest-group":
      return summary.lowestGroup;
    case "bottom-10":
      return summary.bottom10;
    case "tail":
      return summary.tail;
    case "mean":
      return summary.mean;
  }
}

/** Checks the options every confidence-reading strategy and verifier shares; throws naming the bad one. */
export function validateConfidenceOptions(
  { measure, window, tail, topK, signal }: { measure?: unknown; window?: unknown; tail?: unknown; topK?: unknown; signal?: unknown },
  where: string,
): void {
  const bad = (field: string, value: unknown, accepted: string) => new InvalidOptionError({ field, value, accepted, where });
  if (measure !== undefined && !CONFIDENCE_MEASURES.includes(measure as ConfidenceMeasure)) throw bad("confidenceMeasure", measure, CONFIDENCE_MEASURES.join(", "));
  if (signal !== undefined && !CONFIDENCE_SIGNALS.includes(signal as ConfidenceSignal)) throw bad("confidenceSignal", signal, CONFIDENCE_SIGNALS.join(", "));
  for (const [field, value] of [["confidenceWindow", window], ["confidenceTail", tail], ["confidenceTopK", topK]] as const) {
    if (value !== undefined && !(Number.isInteger(value) && (value as number) >= 1)) throw bad(field, value, "an integer ≥ 1");
  }
}

/**
 * A trace confidence as a score in [0, 1], for where a verifier's score goes (weighted votes, beam
 * pruning). `top-k`: 1 − ln k / C (a token's top-k confidence is at least ln k, so this is 0 for
 * the flattest distribution and nears 1 as the model grows sure; 0 for an empty trace).
 * `likelihood`: e^C, the geometric-mean probability of the tokens the measure covers.
 * @example selfCertaintyScore(9.0, { signal: "top-k", topK: 20 }) // ≈ 0.667
 */
export function selfCertaintyScore(confidence: number, { signal, topK }: { signal: ConfidenceSignal; topK: number }): number {
  if (signal === "likelihood") return Math.min(1, Math.exp(confidence));
  return confidence > 0 ? Math.max(0, 1 - Math.log(topK) / confidence) : 0;
}

/** The p-th percentile (0–100) of `values`, interpolated linearly between ranks (numpy's default). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

function average(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}
