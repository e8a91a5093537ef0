import { PonderError } from "./ponder-error.js";

/** A call would exceed the budget; it was refused before any compute was spent on it. */
export class BudgetExhaustedError extends PonderError {
  override name = "BudgetExhaustedError";
  readonly resource: "generations" | "tokens";
  readonly limit: number;
  readonly requested: number;
  readonly used: number;

  constructor({ resource, limit, requested, used }: { resource: "generations" | "tokens"; limit: number; requested: number; used: number }) {
    super(`budget exhausted: ${resource} limit ${limit}, used ${used}, requested ${requested} more`);
    this.resource = resource;
    this.limit = limit;
    this.requested = requested;
    this.used = used;
  }
}
