import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { allocateBudgets, expectedAccuracy } from "./allocate-budgets.js";
import type { ComputeOptimalPolicy } from "./policy.js";

const choice = (bin: number, budget: number, accuracy: number) => ({ bin, budget, strategy: "weighted-best-of-n", options: {}, accuracy, problems: 10 });
const policy: ComputeOptimalPolicy = {
  format: "ponder.compute-optimal-policy",
  version: 1,
  createdAt: "2026-11-25T00:00:00Z",
  models: { policy: "p", verifier: "v" },
  probe: { samples: 4 },
  bins: { count: 3, edges: [0.3, 0.7] },
  choices: [
    // easy: solved with the probe alone; medium: gains up to 64; hard: nothing helps.
    choice(1, 4, 0.98), choice(1, 16, 0.99), choice(1, 64, 0.99),
    choice(2, 4, 0.4), choice(2, 16, 0.7), choice(2, 64, 0.85),
    choice(3, 4, 0.02), choice(3, 16, 0.03), choice(3, 64, 0.04),
  ],
  calibration: { dataset: "t", problems: 30, folds: 2, seed: 0, crossValidatedAccuracy: {} },
};

describe("allocateBudgets", () => {
  it("moves budget from easy and hopeless questions to the ones where it helps", () => {
    const bins = [1, 1, 2, 2, 3, 3];
    const budgets = allocateBudgets(policy, bins, 6 * 16, 4);
    assert.equal(budgets.reduce((a, b) => a + b, 0) <= 96, true);
    assert.ok(budgets[2]! >= 16 && budgets[3]! >= 16, `medium questions get more: ${budgets}`);
    assert.ok(budgets[0]! <= 16 && budgets[4]! <= 16, `easy and hard get less: ${budgets}`);
    const expected = (b: number[]) => b.reduce((sum, x, i) => sum + expectedAccuracy(policy, bins[i]!, x), 0);
    assert.ok(expected(budgets) > expected(bins.map(() => 16)), "beats a uniform split of the same total");
  });

  it("never exceeds the total, and gives everyone the floor when the total is too small", () => {
    assert.deepEqual(allocateBudgets(policy, [1, 2], 6, 4), [4, 4]);
    const b = allocateBudgets(policy, [2, 2, 2], 40, 4);
    assert.ok(b.reduce((x, y) => x + y, 0) <= 40);
  });

  it("reads accuracy at the largest calibrated budget not above the one given", () => {
    assert.equal(expectedAccuracy(policy, 2, 32), 0.7);
    assert.equal(expectedAccuracy(policy, 2, 2), 0);
  });
});
