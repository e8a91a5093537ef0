import { voteDecided } from "../aggregation/vote-decided.js";
import type { Candidate } from "../core/candidate.js";
import type { Problem } from "../core/problem.js";
import { deriveSeed } from "../core/rng.js";
import { checkEarlyStop } from "./sample-and-vote.js";
import { isBudgetStop, SearchRun } from "./search-run.js";
import { allSettled, checkBeamWidth, expand, isDone, sampleFirstSteps, topK } from "./step-search.js";
import type { CommonOptions, StrategyDeps, StrategyResult } from "./strategy.js";

export interface DvtsOptions extends CommonOptions {
  /** M: candidate steps each subtree samples per round, keeping the best one; N/M subtrees (default 4). */
  beamWidth?: number;
  /**
   * Grow the subtrees in waves and stop once the weighted vote over their solutions (and `voteWith`'s)
   * is decided with this confidence, e.g. 0.9 (off when absent). Subtree t is the same whatever N and
   * whichever wave grows it, so a run that stops after k subtrees equals the first k of a full run.
   */
  stopWhenDecided?: number;
  /** Subtrees grown between two checks when stopping early (default 1). */
  wave?: number;
  /** Scored solutions drawn before (a difficulty probe's): they count in the stop rule's vote, so a decided probe grows no subtree. Not returned among the candidates. */
  voteWith?: readonly Candidate[];
}

/**
 * Diverse verifier tree search: the budget N is split into N/M independent subtrees; each samples M
 * candidate next steps per round and keeps its best by PRM score. Subtrees never compete, which keeps
 * the final solutions diverse; the answer is best-of-N weighted over the subtrees' solutions.
 * The subtrees of a wave advance together, so their generations and scoring batch; without early
 * stopping all of them are one wave.
 * @example await dvts(problem, { generator, verifier, answers }, { budget: { generations: 16 }, beamWidth: 4, seed: 1 })
 */
export async function dvts(problem: Problem, deps: StrategyDeps, options: DvtsOptions): Promise<StrategyResult> {
  const run = new SearchRun("dvts", problem, deps, options);
  run.requireVerifier();
  const { stopWhenDecided, wave = 1, voteWith = [] } = options;
  checkEarlyStop(stopWhenDecided, wave, "dvts", " (subtrees per wave)");
  const width = options.beamWidth ?? 4;
  const n = options.budget.generations;
  checkBeamWidth(width, n, "dvts");
  const subtrees = n / width;
  run.requireTokens(n * run.options.maxStepTokens);
  const waveSize = stopWhenDecided === undefined ? subtrees : wave;
  const decided = (leaves: readonly Candidate[]) => stopWhenDecided !== undefined && voteDecided([...voteWith, ...leaves], "weighted", subtrees - leaves.length, stopWhenDecided);
  const grown: Candidate[] = [];
  let growing: Candidate[] = [];
  let rounds = 0;
  let stoppedBy: StrategyResult["stoppedBy"] = "complete";
  try {
    for (let first = 0; first < subtrees && !decided(grown); first += waveSize) {
      growing = Array.from({ length: Math.min(waveSize, subtrees - first) }, () => ({ steps: [], finishReason: "step", answer: null, answerKey: null }));
      let round = 0;
      while (round < run.options.maxSteps && growing.some((l) => !isDone(l))) {
        growing = await allSettled(
          growing.map(async (leaf, i) => {
            if (isDone(leaf)) return leaf;
            const t = first + i;
            const seed = deriveSeed(run.options.seed, "subtree", t);
            const children = leaf.steps.length === 0 ? await sampleFirstSteps(run, width, seed, t) : await expand(run, [leaf], width, seed, round);
            return topK(await run.score(children), 1)[0]!;
          }),
        );
        round++;
        const leaves = [...grown, ...growing];
        run.emit({ type: "round", round, active: leaves.filter((l) => !isDone(l)).length, finished: leaves.filter(isDone).length, bestScore: topK(leaves, 1)[0]?.score });
      }
      rounds = Math.max(rounds, round);
      grown.push(...growing);
      growing = [];
    }
  } catch (error) {
    if (!isBudgetStop(error)) throw run.fail(error);
    stoppedBy = "budget";
  }
  const started = [...grown, ...growing].filter((l) => l.steps.length > 0);
  const stoppedEarly = stoppedBy === "complete" && grown.length < subtrees;
  return run.finish(started, "weighted", stoppedBy, { rounds, subtrees, beamWidth: width, finished: started.filter(isDone).length, ...(stopWhenDecided !== undefined ? { grown: grown.length, stoppedEarly } : {}) });
}
