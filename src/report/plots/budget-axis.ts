/** The x axis of budget plots: log₂ scale, ticks at the budgets run, a margin for dodged series. */
export function budgetAxis(budgets: readonly number[], title = "generation budget N (solutions begun; log₂ scale)") {
  const lo = Math.min(...budgets);
  const hi = Math.max(...budgets);
  return {
    field: "x",
    type: "quantitative" as const,
    title,
    scale: { type: "log" as const, base: 2, domain: [lo / 2 ** 0.35, hi * 2 ** 0.35], nice: false },
    axis: { values: [...budgets], format: "d", grid: false },
  };
}

/**
 * Where series `index` of `count` is drawn at `budget`: offset along the log₂ axis so that the
 * points and intervals of different strategies never sit on one x. The offsets stay within a
 * third of the gap between neighbouring budgets, so each group still reads as one budget.
 */
export function dodgedBudget(budget: number, index: number, count: number, budgets: readonly number[]): number {
  const logs = [...new Set(budgets)].sort((a, b) => a - b).map(Math.log2);
  const gap = logs.length > 1 ? Math.min(...logs.slice(1).map((l, i) => l - logs[i]!)) : 2;
  const step = count > 1 ? Math.min(0.14, (gap * 0.6) / (count - 1)) : 0;
  return budget * 2 ** (step * (index - (count - 1) / 2));
}

/** The y axis of accuracy plots, zoomed to the values shown (to the nearest 10%) so differences stay visible. */
export function accuracyAxis(values: readonly number[], field = "accuracy") {
  const finite = values.filter(Number.isFinite);
  const lo = finite.length > 0 ? Math.max(0, Math.floor(Math.min(...finite) * 10 - 0.5) / 10) : 0;
  const hi = finite.length > 0 ? Math.min(1, Math.ceil(Math.max(...finite) * 10 + 0.5) / 10) : 1;
  return { field, type: "quantitative" as const, title: lo > 0 ? "accuracy (axis does not start at 0)" : "accuracy", scale: { domain: [lo, hi], zero: false }, axis: { format: "%" } };
}
