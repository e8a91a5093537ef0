import type { TopLevelSpec } from "vega-lite";
import type { RunSummary } from "../../eval/metrics/summarize-run.js";
import { accuracyAxis, budgetAxis, dodgedBudget } from "./budget-axis.js";
import { OPTIMAL_SERIES, seriesEncoding } from "./series-style.js";

/** One point of an accuracy-vs-budget plot. */
export interface BudgetPoint {
  series: string;
  budget: number;
  accuracy: number;
  /** The 95% interval; absent for points without one (the cross-validated compute-optimal policy). */
  low?: number;
  high?: number;
}

/**
 * Accuracy against budget per strategy, each with its 95% bootstrap interval, strategies dodged
 * along the log₂ axis so no two intervals share an x; the compute-optimal policy dashed.
 */
export function accuracyVsBudgetSpec(summary: RunSummary, title: string): TopLevelSpec {
  const points: BudgetPoint[] = summary.cells.map((c) => ({ series: c.strategy, budget: c.budget, accuracy: c.accuracy.accuracy, low: c.accuracy.low, high: c.accuracy.high }));
  const optimal = (summary.computeOptimal.oracle ?? []).map((p) => ({ series: OPTIMAL_SERIES.name, budget: p.budget, accuracy: p.accuracy }));
  const problems = Math.max(0, ...summary.cells.map((c) => c.accuracy.problems));
  return budgetPlot({
    title,
    subtitle: [
      `mean over ${problems} problems and their seeds; bars: 95% bootstrap interval over problems`,
      "strategies are drawn side by side at each budget N so their intervals never overlap",
      ...(optimal.length > 0 ? ["dashed: compute-optimal (each oracle bin uses the strategy best on the other half)"] : []),
    ],
    strategies: [...new Set(points.map((p) => p.series))],
    points,
    optimal,
  });
}

/** The layers every accuracy-vs-budget plot shares: dodged intervals, lines with markers, an optional dashed series. */
export function budgetPlot({ title, subtitle, strategies, points, optimal = [], width = 560, height = 320 }: {
  title: string;
  subtitle: string[];
  strategies: readonly string[];
  points: readonly BudgetPoint[];
  optimal?: readonly BudgetPoint[];
  width?: number;
  height?: number;
}): TopLevelSpec {
  const budgets = [...new Set(points.map((p) => p.budget))].sort((a, b) => a - b);
  const count = strategies.length + (optimal.length > 0 ? 1 : 0);
  const place = (p: BudgetPoint) => ({ ...p, x: dodgedBudget(p.budget, p.series === optimal[0]?.series ? strategies.length : strategies.indexOf(p.series), count, budgets) });
  const style = seriesEncoding(strategies, optimal.length > 0 ? [OPTIMAL_SERIES] : []);
  const values = [...points, ...optimal].map(place).map(style.styled);
  return {
    title: { text: title, subtitle },
    width,
    height,
    data: { values },
    layer: budgetLayers(style, budgetAxis(budgets), accuracyAxis(values.flatMap((v) => [v.accuracy, v.low ?? NaN, v.high ?? NaN]))),
  } as TopLevelSpec;
}

/** Intervals (where a row has them), lines in each series' dash, markers, and the one legend. */
export function budgetLayers(style: ReturnType<typeof seriesEncoding>, x: ReturnType<typeof budgetAxis>, y: ReturnType<typeof accuracyAxis>) {
  const tooltip = [{ field: "series", title: "series" }, { field: "budget", title: "N" }, { field: y.field, format: ".1%" }, { field: "low", format: ".1%" }, { field: "high", format: ".1%" }];
  return [
    { transform: [{ filter: "isValid(datum.low)" }], mark: { type: "rule", strokeWidth: 2, opacity: 0.75 }, encoding: { x, y: { ...y, field: "low" }, y2: { field: "high" }, color: style.color } },
    { mark: { type: "line", strokeWidth: 2.2 }, encoding: { x, y, color: style.color, strokeDash: style.strokeDash } },
    { mark: { type: "point", filled: true, size: 70, opacity: 1 }, encoding: { x, y, color: style.color, shape: style.shape, tooltip } },
    style.legendLayer,
  ];
}
