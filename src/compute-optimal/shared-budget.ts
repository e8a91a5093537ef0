import { allocateBudgets } from "./allocate-budgets.js";
import type { CalibratedConfig, CalibrationTable } from "./calibration-table.js";
import { choosePolicy, foldsOf, toPolicy, type CalibrationAxis } from "./choose-policy.js";
import { binOfScore, choose, type ComputeOptimalPolicy } from "./policy.js";

export interface SharedBudgetOptions {
  /** Mean generations per problem the batch may spend, probe included (one figure per row). */
  meanBudgets: readonly number[];
  bins?: number;
  folds?: number;
  seed?: number;
  axis?: CalibrationAxis;
}

/** Held-out figures of a batch that shares `meanBudget × problems` generations. */
export interface SharedBudgetRow {
  meanBudget: number;
  accuracy: number;
  /** Mean solutions begun per problem (at most the mean budget; early stopping spends less). */
  generations: number;
  /** Mean processed FLOPs per problem. */
  flops: number;
  /** How many held-out problems were given each budget. */
  budgets: Map<number, number>;
}

/**
 * What `solveBatch` achieves, cross-validated: on each fold, a policy is chosen on the other folds
 * (`choosePolicy`), the held-out problems are binned by their probe and given budgets by
 * `allocateBudgets` from that policy's calibrated accuracy, and each is scored by the outcome of the
 * configuration `auto` would run at its budget. Unlike a fixed budget per question (the published
 * comparison), the batch spends little on questions a few samples already settle and on hopeless
 * ones, and the rest where the policy says it buys accuracy.
 */
export function crossValidateSharedBudget(table: CalibrationTable, { meanBudgets, bins = 5, folds = 2, seed = 0, axis }: SharedBudgetOptions): SharedBudgetRow[] {
  // The folds choosePolicy's own cross-validation uses for the same seed.
  const foldOf = foldsOf(table.problems.map((p) => p.id), folds, seed);
  const rows: SharedBudgetRow[] = meanBudgets.map((meanBudget) => ({ meanBudget, accuracy: 0, generations: 0, flops: 0, budgets: new Map() }));
  let scored = 0;
  for (let f = 0; f < folds; f++) {
    const train = table.problems.filter((p) => foldOf.get(p.id) !== f);
    const test = table.problems.filter((p) => foldOf.get(p.id) === f);
    const chosen = choosePolicy({ ...table, problems: train }, { bins, folds, seed, ...(axis ? { axis } : {}) });
    const policy = toPolicy(chosen, { models: { policy: "", verifier: "" }, probeSamples: table.probeSamples, dataset: "training folds", problems: train.length, folds, seed });
    const testBins = test.map((p) => binOfScore(chosen.edges, p.predictedScore));
    scored += test.length;
    for (const row of rows) {
      const budgets = allocateBudgets(policy, testBins, Math.floor(row.meanBudget * test.length), table.probeSamples);
      test.forEach((p, i) => {
        const outcome = configOf(table, choose(policy, testBins[i]!, budgets[i]!)).outcomes.get(p.id);
        if (!outcome) throw new Error(`the calibration table has no outcome for problem ${p.id} under the configuration chosen for it`);
        row.accuracy += outcome.correct ? 1 : 0;
        row.generations += outcome.generations;
        row.flops += outcome.flops;
        row.budgets.set(budgets[i]!, (row.budgets.get(budgets[i]!) ?? 0) + 1);
      });
    }
  }
  return rows.map((r) => ({ ...r, accuracy: r.accuracy / scored, generations: r.generations / scored, flops: r.flops / scored }));
}

/** The table's configuration behind a policy choice. */
function configOf(table: CalibrationTable, choice: ComputeOptimalPolicy["choices"][number]): CalibratedConfig {
  const same = (a: Record<string, unknown>, b: Record<string, unknown>) => Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);
  const config = table.configs.find((c) => c.strategy === choice.strategy && c.budget === choice.budget && same(c.options, choice.options));
  if (!config) throw new Error(`no calibrated configuration for ${choice.strategy}@${choice.budget}`);
  return config;
}
