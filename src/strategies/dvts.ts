import type { Candidate } from "../core/candidate.js";
import type { Problem } from "../core/problem.js";
import { deriveSeed } from "../core/rng.js";
import { isBudgetStop, SearchRun } from "./search-run.js";
import { allSettled, checkBeamWidth, expand, isDone, sampleFirstSteps, topK } from "./step-search.js";
import type { CommonOptions, StrategyDeps, StrategyResult } from "./strategy.js";

export interface DvtsOptions extends CommonOptions {
  /** M: candidate steps each subtree samples per round, keeping the best one; N/M subtrees (default 4). */
  beamWidth?: number;
}

/**
 * Diverse verifier tree search: the budget N is split into N/M independent subtrees; each samples M
 * candidate next steps per round and keeps its best by PRM score. Subtrees never compete, which keeps
 * the final solutions diverse; the answer is best-of-N weighted over the subtrees' solutions.
 * All subtrees advance together, so their generations and scoring batch.
 * @example await dvts(problem, { generator, verifier, answers }, { budget: { generations: 16 }, beamWidth: 4, seed: 1 })
 */
export async function dvts(problem: Problem, deps: StrategyDeps, options: DvtsOptions): Promise<StrategyResult> {
  const run = new SearchRun("dvts", problem, deps, options);
  run.requireVerifier();
  const width = options.beamWidth ?? 4;
  const n = options.budget.generations;
  checkBeamWidth(width, n, "dvts");
  const subtrees = n / width;
  run.requireTokens(n * run.options.maxStepTokens);
  let leaves: Candidate[] = Array.from({ length: subtrees }, () => ({ steps: [], finishReason: "step", answer: null, answerKey: null }));
  let round = 0;
  let stoppedBy: StrategyResult["stoppedBy"] = "complete";
  try {
    while (round < run.options.maxSteps && leaves.some((l) => !isDone(l))) {
      leaves = await allSettled(
        leaves.map(async (leaf, t) => {
          if (isDone(leaf)) return leaf;
          const seed = deriveSeed(run.options.seed, "subtree", t);
          const children = leaf.steps.length === 0 ? await sampleFirstSteps(run, width, seed, t) : await expand(run, [leaf], width, seed, round);
          return topK(await run.score(children), 1)[0]!;
        }),
      );
      round++;
      run.emit({ type: "round", round, active: leaves.filter((l) => !isDone(l)).length, finished: leaves.filter(isDone).length, bestScore: topK(leaves, 1)[0]?.score });
    }
  } catch (error) {
    if (!isBudgetStop(error)) throw run.fail(error);
    stoppedBy = "budget";
  }
  const started = leaves.filter((l) => l.steps.length > 0);
  return run.finish(started, "weighted", stoppedBy, { rounds: round, subtrees, beamWidth: width, finished: started.filter(isDone).length });
}
