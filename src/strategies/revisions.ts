import { vote } from "../aggregation/vote.js";
import type { Candidate } from "../core/candidate.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import type { Problem } from "../core/problem.js";
import { deriveSeed } from "../core/rng.js";
import { isBudgetStop, SearchRun } from "./search-run.js";
import { allSettled } from "./step-search.js";
import type { CommonOptions, StrategyDeps, StrategyResult } from "./strategy.js";

export const REVISION_SELECTIONS = ["hierarchical", "weighted", "majority"] as const;

export interface RevisionOptions extends CommonOptions {
  /** S: attempts per chain, each revising the ones before it; the budget N runs N/S chains in parallel (default N: fully sequential). */
  chainLength?: number;
  /** Earlier attempts the revision model sees (default 4, as it was trained). */
  contextAttempts?: number;
  /**
   * `hierarchical` (default with a verifier): best-of-N weighted within each chain, then across chains;
   * `weighted`: best-of-N weighted over every attempt; `majority` (default without one): the most frequent answer.
   */
  selection?: (typeof REVISION_SELECTIONS)[number];
}

/**
 * Sequential revisions: N/S chains run in parallel; in each, the revision model writes S attempts,
 * each seeing the chain's last few attempts. Revisions can turn a right answer wrong, so the final
 * answer is chosen by the verifier rather than taken from the last attempt.
 * Attempt s of chain c has a seed of its own, so a shorter or narrower run is a prefix of a longer one.
 * @example await revisions(problem, { generator, reviser, verifier, answers }, { budget: { generations: 16 }, chainLength: 4, seed: 1 })
 */
export async function revisions(problem: Problem, deps: StrategyDeps, options: RevisionOptions): Promise<StrategyResult> {
  const run = new SearchRun("revisions", problem, deps, options);
  const n = options.budget.generations;
  const length = options.chainLength ?? n;
  const keep = options.contextAttempts ?? 4;
  const selection = options.selection ?? (deps.verifier ? "hierarchical" : "majority");
  if (!Number.isInteger(length) || length < 1 || n % length !== 0) {
    throw new InvalidOptionError({ field: "chainLength", value: length, accepted: `a divisor of the budget ${n}`, where: "revisions" });
  }
  if (!Number.isInteger(keep) || keep < 0) throw new InvalidOptionError({ field: "contextAttempts", value: keep, accepted: "an integer ≥ 0", where: "revisions" });
  if (!REVISION_SELECTIONS.includes(selection)) throw new InvalidOptionError({ field: "selection", value: selection, accepted: REVISION_SELECTIONS.join(", "), where: "revisions" });
  if (selection !== "majority") run.requireVerifier();
  run.requireTokens((n / length) * run.options.maxTokens);

  const chains: Candidate[][] = Array.from({ length: n / length }, () => []);
  let stoppedBy: StrategyResult["stoppedBy"] = "complete";
  const delimiter = (deps.reviser ?? deps.generator).stepDelimiter;
  try {
    for (let step = 0; step < length; step++) {
      const attempts = await allSettled(
        chains.map(async (chain, c) => {
          const context = (keep === 0 ? [] : chain.slice(-keep)).map((a) => a.steps.join(delimiter));
          const [out] = await run.generate({ until: "solution", attempts: context, seed: deriveSeed(run.options.seed, "chain", c, "attempt", step), model: "reviser" });
          const attempt = run.solution(out!);
          return selection === "majority" ? attempt : (await run.score([attempt]))[0]!;
        }),
      );
      attempts.forEach((a, c) => chains[c]!.push(a));
      run.emit({ type: "round", round: step, active: chains.length, finished: (step + 1) * chains.length, bestScore: Math.max(...attempts.map((a) => a.score ?? 0)) });
    }
  } catch (error) {
    if (!isBudgetStop(error)) throw run.fail(error);
    stoppedBy = "budget";
  }
  const all = chains.flat();
  const details = { chains: chains.length, chainLength: length, selection };
  if (selection !== "hierarchical") return run.finish(all, selection, stoppedBy, details);
  // Each chain's weighted winner stands for it; the chains' winners then vote, weighted by their scores.
  const winners = chains.filter((chain) => chain.length > 0).map((chain) => chain[vote(chain, "weighted") ?? chain.length - 1]!);
  const pick = vote(winners, "weighted");
  return run.finish(all, pick === null ? null : all.indexOf(winners[pick]!), stoppedBy, details);
}
