import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import type { Problem } from "../core/problem.js";
import { drawTraces, resolveConfidenceOptions, traceConfidence, weighted, type ConfidenceOptions, type Trace } from "./confident-traces.js";
import { isBudgetStop, SearchRun } from "./search-run.js";
import type { CommonOptions, StrategyDeps, StrategyResult } from "./strategy.js";

export interface DeepConfOfflineOptions extends CommonOptions, ConfidenceOptions {
  /** η: the percentage of traces, most confident first, that vote (default 50). */
  keepPercent?: number;
}

/**
 * DeepConf offline (arXiv 2508.15260): N whole traces, each with the policy's own token confidence;
 * the most confident η% vote, each weighted by its self-certainty (1 − ln k / C). Needs no verifier.
 * Trace i is majority voting's sample i, so the two compare on the same samples; it spends the same
 * tokens as majority voting and differs only in which traces count.
 * @example await deepConfOffline(problem, { generator, answers }, { budget: { generations: 64 }, seed: 1, keepPercent: 10 })
 */
export async function deepConfOffline(problem: Problem, deps: StrategyDeps, options: DeepConfOfflineOptions): Promise<StrategyResult> {
  const run = new SearchRun("deepconf-offline", problem, deps, options);
  const confidence = resolveConfidenceOptions(options, run.strategy);
  const keepPercent = checkPercent(options.keepPercent ?? 50, "keepPercent", run.strategy);
  const budget = options.budget.generations;
  const traces: Trace[] = [];
  let stoppedBy: StrategyResult["stoppedBy"] = "complete";
  try {
    const n = run.affordableSolutions(budget);
    if (n < budget) stoppedBy = "budget";
    traces.push(...(await drawTraces(run, 0, n, confidence)));
    run.deps.onEvent?.({ type: "candidates", strategy: run.strategy, count: traces.length, usage: run.usage() });
  } catch (error) {
    if (!isBudgetStop(error)) throw error;
    stoppedBy = "budget";
  }
  const kept = mostConfident(traces, keepPercent, (t) => traceConfidence(t, confidence));
  const candidates = traces.map((t) => weighted(t, confidence, kept.has(t.index)));
  return run.finish(candidates, "weighted", stoppedBy, { samples: traces.length, kept: kept.size, keepPercent, measure: confidence.measure });
}

/** Indices of the ⌈η% · n⌉ (at least one) most confident traces; ties keep the earlier trace. */
export function mostConfident(traces: readonly Trace[], keepPercent: number, confidenceOf: (t: Trace) => number): Set<number> {
  if (traces.length === 0) return new Set();
  const count = Math.max(1, Math.ceil((traces.length * keepPercent) / 100));
  const ranked = [...traces].sort((a, b) => confidenceOf(b) - confidenceOf(a) || a.index - b.index);
  return new Set(ranked.slice(0, count).map((t) => t.index));
}

export function checkPercent(value: number, field: string, where: string): number {
  if (!(value > 0 && value <= 100)) throw new InvalidOptionError({ field, value, accepted: "a percentage in (0, 100]", where });
  return value;
}
