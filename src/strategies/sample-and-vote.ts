import type { VoteRule } from "../aggregation/vote.js";
import { voteDecided } from "../aggregation/vote-decided.js";
import type { Candidate } from "../core/candidate.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import { deriveSeed } from "../core/rng.js";
import { isBudgetStop, type SearchRun } from "./search-run.js";
import { allSettled } from "./step-search.js";
import type { CommonOptions, StrategyResult } from "./strategy.js";

export interface SamplingOptions extends CommonOptions {
  /** Solutions already drawn with this seed (a difficulty probe's), counted as the first ones and never drawn again. */
  presampled?: readonly Candidate[];
  /** Stop drawing once the vote is decided with this confidence, e.g. 0.95 (off when absent). */
  stopWhenDecided?: number;
  /** Solutions drawn between two checks when stopping early (default 4). */
  wave?: number;
}

/** Refuses a stop confidence outside (0, 1] or a wave that is not a positive integer, naming the field. */
export function checkEarlyStop(stopWhenDecided: number | undefined, wave: number, where: string, waveUnit = ""): void {
  if (stopWhenDecided !== undefined && !(stopWhenDecided > 0 && stopWhenDecided <= 1)) {
    throw new InvalidOptionError({ field: "stopWhenDecided", value: stopWhenDecided, accepted: "a confidence in (0, 1]", where });
  }
  if (!Number.isInteger(wave) || wave < 1) throw new InvalidOptionError({ field: "wave", value: wave, accepted: `an integer ≥ 1${waveUnit}`, where });
}

/** Sample i's seed: the same for every N, so a smaller budget's samples are a prefix of a larger one's. */
export function sampleSeed(seed: number, index: number): number {
  return deriveSeed(seed, "sample", index);
}

/**
 * Draws up to N whole solutions (all at once, or in waves when stopping early), scores them when the
 * rule needs scores, and returns the vote's result. Shared by majority voting and best-of-N.
 */
export async function sampleAndVote(run: SearchRun, options: SamplingOptions, rule: VoteRule): Promise<StrategyResult> {
  const { presampled = [], stopWhenDecided, wave = 4 } = options;
  checkEarlyStop(stopWhenDecided, wave, run.strategy);
  const scored = rule !== "majority";
  if (scored) run.requireVerifier();
  const budget = options.budget.generations;
  if (presampled.length < budget) run.requireTokens(run.options.maxTokens);
  const n = presampled.length + run.affordableSolutions(Math.max(0, budget - presampled.length));
  const candidates = [...presampled].slice(0, budget);
  let stoppedBy: StrategyResult["stoppedBy"] = n < budget ? "budget" : "complete";
  let stoppedEarly = false;
  try {
    while (candidates.length < Math.min(n, budget)) {
      const from = candidates.length;
      const size = stopWhenDecided === undefined ? budget - from : Math.min(wave, budget - from);
      const drawn = await allSettled(
        Array.from({ length: size }, (_, i) => run.generate({ until: "solution", seed: sampleSeed(run.options.seed, from + i) }).then(([c]) => run.solution(c!))),
      );
      candidates.push(...(scored ? await run.score(drawn) : drawn));
      run.deps.onEvent?.({ type: "candidates", strategy: run.strategy, count: candidates.length, usage: run.usage() });
      if (stopWhenDecided !== undefined && rule !== "best" && voteDecided(candidates, rule, budget - candidates.length, stopWhenDecided)) {
        stoppedEarly = candidates.length < budget;
        break;
      }
    }
  } catch (error) {
    if (!isBudgetStop(error)) throw run.fail(error);
    stoppedBy = "budget";
  }
  return run.finish(candidates, rule, stoppedBy, { samples: candidates.length, stoppedEarly });
}
