import type { Candidate } from "../core/candidate.js";
import type { Problem } from "../core/problem.js";
import { isBudgetStop, SearchRun } from "./search-run.js";
import { checkBeamWidth, dropDuplicates, expand, isDone, sampleFirstSteps, spreadChildren, topK } from "./step-search.js";
import type { CommonOptions, StrategyDeps, StrategyResult } from "./strategy.js";

export interface BeamSearchOptions extends CommonOptions {
  /** M: children per kept beam; N/M beams are kept each round (default 4). */
  beamWidth?: number;
  /** Drop beams whose steps repeat another's before selecting (default true). */
  dropDuplicates?: boolean;
}

/**
 * Beam search against a process reward model (budget N, width M): sample N first steps, keep the
 * N/M best by PRM score, extend each M ways (N ways in all, spread over fewer beams when duplicates
 * or finished solutions left fewer), repeat until solutions finish or `maxSteps` rounds; the answer
 * is best-of-N weighted over the finished solutions.
 * @example await beamSearch(problem, { generator, verifier, answers }, { budget: { generations: 16 }, beamWidth: 4, seed: 1 })
 */
export async function beamSearch(problem: Problem, deps: StrategyDeps, options: BeamSearchOptions): Promise<StrategyResult> {
  return runBeamSearch("beam-search", problem, deps, options, options.budget.generations, (run, candidates) => run.score(candidates));
}

/** The loop shared by beam search and lookahead search, which differ in how a candidate step is scored. */
export async function runBeamSearch(
  name: string,
  problem: Problem,
  deps: StrategyDeps,
  options: BeamSearchOptions,
  beams: number,
  scoreStep: (run: SearchRun, candidates: Candidate[], round: number) => Promise<Candidate[]>,
  extraDetails: StrategyResult["details"] = {},
): Promise<StrategyResult> {
  const run = new SearchRun(name, problem, deps, options);
  run.requireVerifier();
  const width = options.beamWidth ?? 4;
  checkBeamWidth(width, beams, name);
  const keep = beams / width;
  run.requireTokens(beams * run.options.maxStepTokens);
  const finished: Candidate[] = [];
  let active: Candidate[] = [];
  let round = 0;
  let stoppedBy: StrategyResult["stoppedBy"] = "complete";
  try {
    let frontier = await sampleFirstSteps(run, beams, run.options.seed);
    for (;;) {
      const unique = options.dropDuplicates === false ? frontier : dropDuplicates(frontier);
      const scored = await scoreStep(run, unique, round);
      for (const c of scored) if (isDone(c)) finished.push(c);
      active = topK(scored.filter((c) => !isDone(c)), keep);
      run.emit({ type: "round", round, active: active.length, finished: finished.length, bestScore: topK(scored, 1)[0]?.score });
      round++;
      if (active.length === 0 || finished.length >= beams || round >= run.options.maxSteps) break;
      frontier = await expand(run, active, spreadChildren(beams, active.length), run.options.seed, round);
    }
  } catch (error) {
    if (!isBudgetStop(error)) throw run.fail(error);
    stoppedBy = "budget";
  }
  // With no finished solution (rounds or budget ran out), the best partial ones still carry answers to vote on.
  const pool = finished.length > 0 ? finished : active;
  return run.finish(pool, "weighted", stoppedBy, { rounds: round, finished: finished.length, beams, beamWidth: width, ...extraDetails });
}
