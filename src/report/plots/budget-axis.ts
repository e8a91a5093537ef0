/** The x axis of budget plots: log₂ scale, ticks at the budgets run. */
export function budgetAxis(budgets: readonly number[], title = "generation budget N (log₂ scale)") {
  return {
    field: "budget",
    type: "quantitative" as const,
    title,
    scale: { type: "log" as const, base: 2, domain: [Math.min(...budgets), Math.max(...budgets)], nice: false },
    axis: { values: [...budgets], format: "d" },
  };
}

/** The y axis of accuracy plots, zoomed to the values shown (to the nearest 10%) so differences stay visible. */
export function accuracyAxis(values: readonly number[]) {
  const finite = values.filter(Number.isFinite);
  const lo = finite.length > 0 ? Math.max(0, Math.floor(Math.min(...finite) * 10 - 0.5) / 10) : 0;
  const hi = finite.length > 0 ? Math.min(1, Math.ceil(Math.max(...finite) * 10 + 0.5) / 10) : 1;
  return { type: "quantitative" as const, title: lo > 0 ? "accuracy (axis does not start at 0)" : "accuracy", scale: { domain: [lo, hi] }, axis: { format: "%" } };
}

/** One colour per strategy, the same in every plot of a report. */
export function strategyColor(strategies: readonly string[]) {
  return { field: "strategy", type: "nominal" as const, title: "strategy", scale: { domain: [...strategies], scheme: "tableau10" } };
}
