import type { Candidate } from "../core/candidate.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import { deriveSeed } from "../core/rng.js";
import type { Problem } from "../core/problem.js";
import { runBeamSearch, type BeamSearchOptions } from "./beam-search.js";
import type { SearchRun } from "./search-run.js";
import { allSettled, isDone } from "./step-search.js";
import type { StrategyDeps, StrategyResult } from "./strategy.js";

export interface LookaheadOptions extends BeamSearchOptions {
  /** k: greedy steps rolled out past each candidate step before it is scored (default 2). */
  lookahead?: number;
}

/**
 * Lookahead search: beam search in which each candidate step is scored by the PRM at the end of a
 * k-step greedy (temperature 0) rollout; the rollout only informs the score, the beam keeps the step.
 * A rollout costs k steps per beam, so a budget of B runs B/(k+1) beams (the published accounting, N×(k+1)).
 * @example await lookaheadSearch(problem, deps, { budget: { generations: 48 }, lookahead: 2, beamWidth: 4, seed: 1 })
 */
export async function lookaheadSearch(problem: Problem, deps: StrategyDeps, options: LookaheadOptions): Promise<StrategyResult> {
  const k = options.lookahead ?? 2;
  if (!Number.isInteger(k) || k < 0) throw new InvalidOptionError({ field: "lookahead", value: k, accepted: "an integer ≥ 0", where: "lookahead" });
  const beams = Math.floor(options.budget.generations / (k + 1));
  const width = options.beamWidth ?? 4;
  if (beams < width) {
    throw new InvalidOptionError({
      field: "budget.generations",
      value: options.budget.generations,
      accepted: `at least beamWidth × (lookahead + 1) = ${width * (k + 1)} for lookahead ${k}`,
      where: "lookahead",
    });
  }
  const roundedBeams = beams - (beams % width);
  return runBeamSearch("lookahead", problem, deps, options, roundedBeams, (run, candidates, round) => scoreWithRollouts(run, candidates, k, round), { lookahead: k });
}

async function scoreWithRollouts(run: SearchRun, candidates: Candidate[], k: number, round: number): Promise<Candidate[]> {
  const rollouts = await allSettled(candidates.map((c, i) => (isDone(c) || k === 0 ? c : rollOut(run, c, k, deriveSeed(run.options.seed, "rollout", round, i)))));
  const scored = await run.score(rollouts);
  return candidates.map((c, i) => {
    const { stepScores = [], score, unscored } = scored[i]!;
    // A rollout the verifier cannot read leaves its step without a score; longer ones would fare no better, so the beam ends.
    if (unscored !== undefined) {
      const { score: _stale, ...rest } = c;
      return { ...rest, stepScores: stepScores.slice(0, c.steps.length), unscored, finishReason: c.finishReason === "step" ? "length" : c.finishReason };
    }
    return { ...c, stepScores: stepScores.slice(0, c.steps.length), score };
  });
}

async function rollOut(run: SearchRun, from: Candidate, k: number, seed: number): Promise<Candidate> {
  let current = from;
  for (let step = 0; step < k && !isDone(current); step++) {
    const [next] = await run.generate({ until: "step", prefix: current.steps, seed, sampling: { temperature: 0 } });
    current = run.candidate([...current.steps, ...next!.steps], next!.finishReason);
  }
  return current;
}
