import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BudgetTracker, validateBudget } from "./budget.js";
import { BudgetExhaustedError } from "./errors/budget-exhausted-error.js";
import { InvalidOptionError } from "./errors/invalid-option-error.js";

describe("BudgetTracker", () => {
  it("refuses generations beyond the budget before they are spent", () => {
    const tracker = new BudgetTracker({ generations: 4 });
    tracker.reserve(3, 100)(50);
    assert.equal(tracker.generationsLeft, 1);
    assert.throws(() => tracker.reserve(2, 10), BudgetExhaustedError);
    tracker.reserve(1, 10)(10);
    assert.equal(tracker.generationsLeft, 0);
  });

  it("reserves the worst-case tokens and releases what was not used", () => {
    const tracker = new BudgetTracker({ generations: 100, tokens: 100 });
    const release = tracker.reserve(0, 80);
    assert.throws(() => tracker.reserve(0, 30), (e: unknown) => e instanceof BudgetExhaustedError && e.resource === "tokens");
    release(20);
    assert.equal(tracker.tokensLeft, 80);
    tracker.reserve(0, 80)(80);
    assert.equal(tracker.tokensLeft, 0);
  });

  it("rejects malformed budgets naming the field", () => {
    assert.throws(() => validateBudget({ generations: 0 }), (e: unknown) => e instanceof InvalidOptionError && e.field === "budget.generations");
    assert.throws(() => validateBudget({ generations: 2, tokens: 1.5 }), (e: unknown) => e instanceof InvalidOptionError && e.field === "budget.tokens");
  });
});
