import type { EvalConfig } from "./eval-config.js";
import type { EvalRecord } from "./eval-record.js";

/**
 * A run's records in an order that depends only on what they are, never on when they finished:
 * strategies and seeds as the configuration lists them, budgets ascending, problems by id. Every
 * summary is computed from this order, so the bootstrap draws the same problems and sums add up
 * in the same order whatever the scheduling, concurrency or resumes.
 */
export function canonicalOrder(records: readonly EvalRecord[], config: Pick<EvalConfig, "strategies" | "seeds">): EvalRecord[] {
  const rank = (list: readonly (string | number)[], value: string | number) => {
    const i = list.indexOf(value);
    return i < 0 ? list.length : i;
  };
  return [...records].sort(
    (a, b) =>
      rank(config.strategies, a.strategy) - rank(config.strategies, b.strategy) ||
      compareText(a.strategy, b.strategy) ||
      a.budget - b.budget ||
      compareText(a.problemId, b.problemId) ||
      rank(config.seeds, a.seed) - rank(config.seeds, b.seed) ||
      a.seed - b.seed,
  );
}

/** Code-unit order, the same in every locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
