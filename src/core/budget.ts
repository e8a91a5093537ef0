import { BudgetExhaustedError } from "./errors/budget-exhausted-error.js";
import { InvalidOptionError } from "./errors/invalid-option-error.js";
import { LIMITS } from "./limits.js";

/**
 * How much compute a strategy may spend on one problem.
 * @example { generations: 16 }                      // the N of best-of-N, beams of beam search, ...
 * @example { generations: 64, tokens: 20_000 }      // and never more than 20k generated tokens
 */
export interface Budget {
  /** Solutions begun from the question (the published work's generation budget N). */
  generations: number;
  /** Hard cap on generated (completion) tokens across all calls, when set. */
  tokens?: number;
}

/** Checks a budget's fields; throws InvalidOptionError naming the bad one. */
export function validateBudget(budget: Budget, where?: string): Budget {
  if (!Number.isInteger(budget?.generations) || budget.generations < 1 || budget.generations > LIMITS.generations) {
    throw new InvalidOptionError({ field: "budget.generations", value: budget?.generations, accepted: `an integer from 1 to ${LIMITS.generations}`, where });
  }
  if (budget.tokens !== undefined && (!Number.isInteger(budget.tokens) || budget.tokens < 1 || budget.tokens > LIMITS.budgetTokens)) {
    throw new InvalidOptionError({ field: "budget.tokens", value: budget.tokens, accepted: `an integer from 1 to ${LIMITS.budgetTokens}`, where });
  }
  return budget;
}

/**
 * Enforces a budget before compute is spent: a call first reserves its worst case
 * (every generation it begins, every token it may generate) and is refused when that does not fit.
 */
export class BudgetTracker {
  readonly budget: Budget;
  #generations = 0;
  #tokensReserved = 0;
  #tokensUsed = 0;

  constructor(budget: Budget) {
    this.budget = validateBudget(budget);
  }

  /** Generations not yet spent. */
  get generationsLeft(): number {
    return this.budget.generations - this.#generations;
  }

  /** Tokens not yet spent or reserved (Infinity when uncapped). */
  get tokensLeft(): number {
    return (this.budget.tokens ?? Infinity) - this.#tokensUsed - this.#tokensReserved;
  }

  /** Reserves a call's worst case; throws BudgetExhaustedError when it does not fit. Returns a release function taking the tokens actually used. */
  reserve(generations: number, maxTokens: number): (tokensUsed: number) => void {
    if (generations > this.generationsLeft) {
      throw new BudgetExhaustedError({ resource: "generations", limit: this.budget.generations, used: this.#generations, requested: generations });
    }
    if (maxTokens > this.tokensLeft) {
      throw new BudgetExhaustedError({ resource: "tokens", limit: this.budget.tokens ?? Infinity, used: this.#tokensUsed, requested: maxTokens });
    }
    this.#generations += generations;
    this.#tokensReserved += maxTokens;
    let released = false;
    return (tokensUsed: number) => {
      if (released) return;
      released = true;
      this.#tokensReserved -= maxTokens;
      this.#tokensUsed += Math.min(tokensUsed, maxTokens);
    };
  }
}
