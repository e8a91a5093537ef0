import { leaderShare } from "../aggregation/leader-share.js";
import { tallyAnswers } from "../aggregation/vote.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import type { Problem } from "../core/problem.js";
import { percentile } from "../core/trace-confidence.js";
import { drawTraces, resolveConfidenceOptions, weighted, type ConfidenceOptions, type Trace } from "./confident-traces.js";
import { checkPercent } from "./deepconf-offline.js";
import { isBudgetStop, SearchRun } from "./search-run.js";
import type { CommonOptions, StrategyDeps, StrategyResult } from "./strategy.js";

export interface DeepConfOnlineOptions extends CommonOptions, ConfidenceOptions {
  /** Warm-up traces, drawn whole, whose lowest group confidences set the threshold (default 3, at most N). */
  warmup?: number;
  /** η: the percentage of warm-up traces at or above the threshold, i.e. it is their (100 − η)th percentile (default 10, DeepConf-low). */
  keepPercent?: number;
  /** Stop sampling once the leading answer holds this share of the confidence-weighted vote (default 0.7; the paper's 0.95 spends far more tokens here for no accuracy). */
  consensus?: number;
  /**
   * Stop sampling, too, once this many traces are drawn and no answer has been stated by two of the
   * voting traces: the policy's answers scatter, and more samples seldom gather them (default
   * max(6, ⌈N/4⌉); 0 never gives up).
   */
  giveUpAfter?: number;
  /** Traces drawn between two looks at the vote (default 4). */
  wave?: number;
}

/** The settings deepconf-online's options default to at a budget of `budget` solutions. */
export type DeepConfOnlineSettings = Required<Pick<DeepConfOnlineOptions, "warmup" | "keepPercent" | "consensus" | "wave" | "giveUpAfter">>;

/**
 * deepconf-online's defaults at a budget of `budget` solutions, chosen on validation seeds 7 and 8
 * (150 problems each) at N = 16 and 64 and checked on 9 and 10 (bench/deepconf-defaults.ts).
 */
export function deepConfOnlineDefaults(budget: number): DeepConfOnlineSettings {
  return { warmup: 3, keepPercent: 10, consensus: 0.7, wave: 4, giveUpAfter: Math.max(6, Math.ceil(budget / 4)) };
}

/**
 * DeepConf online (arXiv 2508.15260): warm-up traces are drawn whole, and the (100 − η)th percentile
 * of their lowest group confidence becomes the threshold. Later traces are drawn in waves; a trace
 * whose last-`window`-token confidence falls below the threshold is stopped at that token (its
 * tokens are counted; it does not vote). Every finished trace votes, weighted by its self-certainty,
 * and after each wave sampling stops once the leading answer holds `consensus` of the vote, or
 * once `giveUpAfter` traces are drawn and no answer has two votes (ponder's addition: on a question
 * the policy cannot answer its answers scatter, and majority@N over scattered answers is seldom
 * right; measured in bench/early-stopping.ts).
 * Deterministic whatever the scheduling: each trace's fate depends on its own tokens and the
 * threshold, and the vote is looked at only between waves, over traces in index order.
 * @example await deepConfOnline(problem, { generator, answers }, { budget: { generations: 64 }, seed: 1 })
 */
export async function deepConfOnline(problem: Problem, deps: StrategyDeps, options: DeepConfOnlineOptions): Promise<StrategyResult> {
  const run = new SearchRun("deepconf-online", problem, deps, options);
  const confidence = resolveConfidenceOptions(options, run.strategy);
  if (confidence.measure !== "lowest-group") {
    throw new InvalidOptionError({ field: "confidenceMeasure", value: confidence.measure, accepted: '"lowest-group": deepconf-online stops a trace on its group confidence', where: run.strategy });
  }
  const budget = options.budget.generations;
  const defaults = deepConfOnlineDefaults(budget);
  const { warmup = defaults.warmup, keepPercent = defaults.keepPercent, consensus = defaults.consensus, wave = defaults.wave, giveUpAfter = defaults.giveUpAfter } = options;
  const bad = (field: string, value: unknown, accepted: string) => new InvalidOptionError({ field, value, accepted, where: run.strategy });
  if (!Number.isInteger(warmup) || warmup < 1) throw bad("warmup", warmup, "an integer ≥ 1");
  checkPercent(keepPercent, "keepPercent", run.strategy);
  if (!(consensus > 0 && consensus <= 1)) throw bad("consensus", consensus, "a share in (0, 1]");
  if (!Number.isInteger(wave) || wave < 1) throw bad("wave", wave, "an integer ≥ 1");
  if (!Number.isInteger(giveUpAfter) || giveUpAfter < 0) throw bad("giveUpAfter", giveUpAfter, "an integer ≥ 0 (0: never give up)");

  const traces: Trace[] = [];
  let threshold = -Infinity;
  // Every trace that finished votes, the warm-up's included: a trace below the threshold was stopped.
  const candidates = () => traces.map((t) => weighted(t, confidence, !t.stopped));
  let stoppedBy: StrategyResult["stoppedBy"] = "complete";
  let decided = false;
  let gaveUp = false;
  const settled = () => {
    if (leaderShare(candidates(), "weighted") >= consensus) return (decided = true);
    const votes = tallyAnswers(traces.filter((t) => !t.stopped).map((t) => t.candidate)).map((t) => t.count);
    return (gaveUp = giveUpAfter > 0 && traces.length >= giveUpAfter && Math.max(0, ...votes) < 2);
  };
  try {
    const wanted = Math.min(warmup, budget);
    const warm = run.affordableSolutions(wanted);
    if (warm < wanted) stoppedBy = "budget";
    traces.push(...(await drawTraces(run, 0, warm, confidence)));
    threshold = percentile(
      traces.map((t) => t.summary.lowestGroup),
      100 - keepPercent,
    );
    run.deps.onEvent?.({ type: "candidates", strategy: run.strategy, count: traces.length, usage: run.usage() });
    while (stoppedBy === "complete" && traces.length < budget && !settled()) {
      const wanted = Math.min(wave, budget - traces.length);
      const size = run.affordableSolutions(wanted);
      if (size < wanted) stoppedBy = "budget";
      traces.push(...(await drawTraces(run, traces.length, size, confidence, threshold)));
      run.deps.onEvent?.({ type: "candidates", strategy: run.strategy, count: traces.length, usage: run.usage() });
    }
  } catch (error) {
    if (!isBudgetStop(error)) throw error;
    stoppedBy = "budget";
  }
  const stopped = traces.filter((t) => t.stopped).length;
  return run.finish(candidates(), "weighted", stoppedBy, {
    samples: traces.length,
    stopped,
    threshold: Number.isFinite(threshold) ? threshold : 0,
    stoppedEarly: (decided || gaveUp) && traces.length < budget,
    gaveUp: gaveUp && traces.length < budget,
  });
}
