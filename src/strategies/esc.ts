import type { Candidate } from "../core/candidate.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import type { Problem } from "../core/problem.js";
import { sampleSeed } from "./sample-and-vote.js";
import { isBudgetStop, SearchRun } from "./search-run.js";
import { allSettled } from "./step-search.js";
import type { CommonOptions, StrategyDeps, StrategyResult } from "./strategy.js";

export interface EscOptions extends CommonOptions {
  /** Samples per window: sampling stops after the first window whose answers all agree (default 4). */
  wave?: number;
  /** Solutions already drawn with this seed (`auto`'s probe), counted as the first ones and never drawn again. */
  presampled?: readonly Candidate[];
}

/**
 * Early-stopping self-consistency (ESC, arXiv 2401.10480): samples are drawn a window at a time,
 * and sampling stops after the first window in which every sample states the same answer; the
 * answer is the majority over every sample drawn. Needs no verifier. Sample i is majority voting's
 * sample i, so its answer is majority voting's over the samples it drew.
 * @example await esc(problem, { generator, answers }, { budget: { generations: 64 }, seed: 1, wave: 8 })
 */
export async function esc(problem: Problem, deps: StrategyDeps, options: EscOptions): Promise<StrategyResult> {
  const run = new SearchRun("esc", problem, deps, options);
  const { wave = 4, presampled = [] } = options;
  if (!Number.isInteger(wave) || wave < 1) throw new InvalidOptionError({ field: "wave", value: wave, accepted: "an integer ≥ 1", where: run.strategy });
  const budget = options.budget.generations;
  const samples = presampled.slice(0, budget);
  let stoppedBy: StrategyResult["stoppedBy"] = "complete";
  let windows = 0;
  let agreed = false;
  try {
    while (!agreed && windows * wave < budget) {
      const end = Math.min(budget, (windows + 1) * wave);
      if (samples.length < end) {
        const drawn = await drawSamples(run, samples.length, end - samples.length);
        samples.push(...drawn.samples);
        if (drawn.cut) {
          stoppedBy = "budget";
          break;
        }
      }
      agreed = unanimous(samples.slice(windows * wave, end));
      windows++;
      run.deps.onEvent?.({ type: "candidates", strategy: run.strategy, count: samples.length, usage: run.usage() });
    }
  } catch (error) {
    if (!isBudgetStop(error)) throw error;
    stoppedBy = "budget";
  }
  return run.finish(samples, "majority", stoppedBy, { samples: samples.length, windows, stoppedEarly: agreed && samples.length < budget });
}

/** Every candidate states the same answer. */
function unanimous(window: readonly Candidate[]): boolean {
  return window.length > 0 && window.every((c) => c.answerKey !== null && c.answerKey === window[0]!.answerKey);
}

/**
 * Whole solutions `from` … `from + count − 1`, drawn at once with majority voting's seeds; fewer
 * when a token cap allows fewer (`cut`).
 */
export async function drawSamples(run: SearchRun, from: number, count: number): Promise<{ samples: Candidate[]; cut: boolean }> {
  const n = run.affordableSolutions(count);
  const samples = await allSettled(
    Array.from({ length: n }, (_, i) => run.generate({ until: "solution", seed: sampleSeed(run.options.seed, from + i) }).then(([c]) => run.solution(c!))),
  );
  return { samples, cut: n < count };
}
