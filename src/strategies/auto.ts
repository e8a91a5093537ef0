import { vote } from "../aggregation/vote.js";
import type { Budget } from "../core/budget.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import type { Problem } from "../core/problem.js";
import { addUsage, totalUsage } from "../core/usage.js";
import { binOf, choose, type ComputeOptimalPolicy, type PolicyChoice } from "../compute-optimal/policy.js";
import { bestOfN } from "./best-of-n.js";
import { SearchFailedError } from "./errors/search-failed-error.js";
import type { AnyStrategyOptions, StrategyEntry } from "./index.js";
import type { CommonOptions, StrategyDeps, StrategyResult } from "./strategy.js";

export interface AutoOptions extends CommonOptions {
  policy: ComputeOptimalPolicy;
  /** A probe already run for this problem and seed (a batch planner probes first, then allocates budgets). */
  probe?: StrategyResult;
  /** The strategies table (passed in, so this module and the table need not import each other). */
  table: Readonly<Record<string, StrategyEntry>>;
}

/**
 * Compute-optimal test-time compute: a few scored samples predict the question's difficulty (no
 * ground truth needed; their cost counts in the budget), the calibrated policy picks the strategy and
 * hyperparameters for that difficulty and budget, and the probe's samples are reused, never wasted:
 * sampling strategies take them as their first samples, searches add them to their final vote.
 * @example await auto(problem, { generator, verifier, answers }, { budget: { generations: 16 }, seed: 1, policy, table: strategies })
 */
export async function auto(problem: Problem, deps: StrategyDeps, options: AutoOptions): Promise<StrategyResult> {
  const { policy, table, probe: given, ...common } = options;
  if (!policy) throw new InvalidOptionError({ field: "policy", value: undefined, accepted: "a compute-optimal policy (ponder calibrate writes one)", where: "auto" });
  const budget = common.budget;
  const k = Math.min(policy.probe.samples, budget.generations);
  const probe = given ?? (await bestOfN(problem, deps, { ...common, budget: { ...budget, generations: k }, weighted: true }));
  const predictedScore = mean(probe.candidates.map((c) => c.score ?? 0));
  const bin = binOf(policy, predictedScore);
  const choice = choose(policy, bin, budget.generations);
  const entry = table[choice.strategy];
  if (!entry) throw new InvalidOptionError({ field: "policy.choices.strategy", value: choice.strategy, accepted: Object.keys(table).join(", "), where: "auto" });
  const details = { predictedScore, bin, chosen: choice.strategy, ...prefixed(choice.options) };
  const spent = totalUsage(probe.usage).completionTokens;
  const rest: Budget = { generations: budget.generations, ...(budget.tokens !== undefined ? { tokens: Math.max(1, budget.tokens - spent) } : {}) };

  const probeOnly = (): StrategyResult => ({ ...probe, strategy: "auto", budget, details: { ...probe.details, ...details, chosen: "probe-only" } });
  // A failure after the probe carries the probe's compute too.
  const withProbe = (error: unknown) => (error instanceof SearchFailedError ? error.withUsage(addUsage(probe.usage, error.usage)) : error);
  // What the probe left of a token cap may be too little for the chosen strategy to start: the probe's answer stands.
  const leftTooFew = (error: unknown) => error instanceof InvalidOptionError && error.field === "budget.tokens" && budget.tokens !== undefined;
  const runChosen = (options: AnyStrategyOptions) =>
    entry.run(problem, deps, options).catch((error: unknown) => {
      if (leftTooFew(error)) return null;
      throw withProbe(error);
    });
  if (entry.presampling) {
    const result = await runChosen({ ...common, ...choice.options, budget: rest, presampled: probe.candidates } as AnyStrategyOptions);
    if (result === null) return { ...probeOnly(), stoppedBy: "budget" };
    return { ...result, strategy: "auto", usage: addUsage(probe.usage, result.usage), budget, details: { ...result.details, ...details } };
  }
  const fitted = fitBudget(choice, Math.min(choice.runBudget ?? Infinity, budget.generations - probe.candidates.length));
  if (fitted === null) return probeOnly();
  // A search that stops early counts the probe's solutions in its vote, as the final vote does.
  const result = await runChosen({ ...common, ...fitted.options, voteWith: probe.candidates, budget: { ...rest, generations: fitted.budget } } as AnyStrategyOptions);
  if (result === null) return { ...probeOnly(), stoppedBy: "budget" };
  // The probe's scored solutions join the search's candidates in one weighted vote.
  const candidates = [...result.candidates, ...probe.candidates];
  const pick = vote(candidates, "weighted");
  const chosen = pick === null ? null : candidates[pick]!;
  return {
    ...result,
    strategy: "auto",
    answer: chosen?.answer ?? null,
    answerKey: chosen?.answerKey ?? null,
    chosen,
    candidates,
    usage: addUsage(probe.usage, result.usage),
    budget,
    details: { ...result.details, ...details },
  };
}

/**
 * The largest budget ≤ `available` the choice's strategy can run, with its options adjusted to it
 * (a chain no longer than the budget), or null when it cannot run at all.
 */
export function fitBudget(choice: Pick<PolicyChoice, "strategy" | "options">, available: number): { budget: number; options: PolicyChoice["options"] } | null {
  const { options } = choice;
  const width = Number(options.beamWidth ?? 4);
  switch (choice.strategy) {
    case "beam-search":
    case "dvts": {
      const budget = available - (available % width);
      return budget >= width ? { budget, options } : null;
    }
    case "lookahead": {
      const k = Number(options.lookahead ?? 2);
      const beams = Math.floor(available / (k + 1));
      return beams >= width ? { budget: (beams - (beams % width)) * (k + 1), options } : null;
    }
    case "revisions": {
      if (available < 1) return null;
      const length = Math.min(Number(options.chainLength ?? available), available);
      return { budget: available - (available % length), options: { ...options, chainLength: length } };
    }
    default:
      return available >= 1 ? { budget: available, options } : null;
  }
}

function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

function prefixed(options: Record<string, number | string | boolean>): Record<string, number | string | boolean> {
  return Object.fromEntries(Object.entries(options).map(([k, v]) => [`chosen.${k}`, v]));
}
