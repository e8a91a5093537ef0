import type { TopLevelSpec } from "vega-lite";
import type { RunSummary } from "../../eval/metrics/summarize-run.js";
import { accuracyAxis, budgetAxis, strategyColor } from "./budget-axis.js";

/** The compute-optimal policy's series name: chosen per oracle bin, scored on held-out problems. */
export const OPTIMAL_SERIES = "compute-optimal (2-fold CV)";

/** Accuracy against budget per strategy, with 95% bootstrap intervals, and the compute-optimal policy dashed. */
export function accuracyVsBudgetSpec(summary: RunSummary, title: string): TopLevelSpec {
  const rows = summary.cells.map((c) => ({ strategy: c.strategy, budget: c.budget, accuracy: c.accuracy.accuracy, low: c.accuracy.low, high: c.accuracy.high }));
  const optimal = (summary.computeOptimal.oracle ?? []).map((p) => ({ strategy: OPTIMAL_SERIES, budget: p.budget, accuracy: p.accuracy }));
  const budgets = [...new Set(rows.map((r) => r.budget))].sort((a, b) => a - b);
  const color = strategyColor([...new Set(rows.map((r) => r.strategy)), ...(optimal.length > 0 ? [OPTIMAL_SERIES] : [])]);
  const x = budgetAxis(budgets);
  const y = accuracyAxis([...rows.flatMap((r) => [r.low, r.high]), ...optimal.map((o) => o.accuracy)]);
  return {
    title: { text: title, subtitle: "mean over problems and seeds; bars: 95% bootstrap interval over problems; dashed: compute-optimal per oracle bin" },
    width: 560,
    height: 340,
    layer: [
      { data: { values: rows }, mark: { type: "rule", strokeWidth: 1.5, opacity: 0.6 }, encoding: { x, y: { field: "low", ...y }, y2: { field: "high" }, color } },
      { data: { values: rows }, mark: { type: "line", point: { size: 50 }, strokeWidth: 2.5 }, encoding: { x, y: { field: "accuracy", ...y }, color } },
      { data: { values: optimal }, mark: { type: "line", strokeDash: [6, 4], strokeWidth: 2, point: { shape: "diamond", size: 60 } }, encoding: { x, y: { field: "accuracy", ...y }, color } },
    ],
  } as TopLevelSpec;
}
