import type { TopLevelSpec } from "vega-lite";
import type { RunComparison } from "../../eval/metrics/compare-runs.js";
import { budgetLayers } from "./accuracy-vs-budget.js";
import { accuracyAxis, budgetAxis, dodgedBudget } from "./budget-axis.js";
import { seriesEncoding } from "./series-style.js";

/** Both runs' accuracy against budget, one panel each, on one accuracy axis. */
export function compareAccuracySpec(c: RunComparison, labels: readonly [string, string], title: string): TopLevelSpec {
  const strategies = [...new Set(c.cells.map((x) => x.strategy))];
  const budgets = [...new Set(c.cells.map((x) => x.budget))].sort((p, q) => p - q);
  const style = seriesEncoding(strategies);
  const values = [...c.a.cells.map((x) => ({ run: labels[0], x })), ...c.b.cells.map((x) => ({ run: labels[1], x }))].map(({ run, x }) =>
    style.styled({ run, series: x.strategy, budget: x.budget, x: dodgedBudget(x.budget, strategies.indexOf(x.strategy), strategies.length, budgets), accuracy: x.accuracy.accuracy, low: x.accuracy.low, high: x.accuracy.high }),
  );
  return {
    title: { text: title, subtitle: ["each run on its own problems; bars: 95% bootstrap interval over problems; strategies side by side at each N"] },
    data: { values },
    facet: { column: { field: "run", type: "nominal", title: null, sort: [...labels], header: { labelFontSize: 13 } } },
    spec: { width: 380, height: 280, layer: budgetLayers(style, budgetAxis(budgets), accuracyAxis(values.flatMap((v) => [v.low, v.high]))) },
  } as TopLevelSpec;
}

/** b − a per strategy against budget, with paired 95% intervals, around a zero line. */
export function compareDifferenceSpec(c: RunComparison, labels: readonly [string, string], title: string): TopLevelSpec {
  const paired = c.cells.filter((x) => x.difference !== null);
  const strategies = [...new Set(paired.map((x) => x.strategy))];
  const budgets = [...new Set(paired.map((x) => x.budget))].sort((p, q) => p - q);
  const style = seriesEncoding(strategies);
  const values = paired.map((x) =>
    style.styled({ series: x.strategy, budget: x.budget, x: dodgedBudget(x.budget, strategies.indexOf(x.strategy), strategies.length, budgets), difference: x.difference!.difference, low: x.difference!.low, high: x.difference!.high }),
  );
  const extent = Math.max(0.05, ...values.flatMap((v) => [Math.abs(v.low), Math.abs(v.high)]).filter(Number.isFinite));
  const y = {
    field: "difference",
    type: "quantitative" as const,
    title: `accuracy, ${labels[1]} − ${labels[0]} (points)`,
    scale: { domain: [-extent * 1.1, extent * 1.1] },
    axis: { labelExpr: "datum.value == 0 ? '0' : format(datum.value * 100, '+.0f')" },
  };
  const layers = budgetLayers(style, budgetAxis(budgets), y as unknown as ReturnType<typeof accuracyAxis>);
  const pairedProblems = Math.max(0, ...paired.map((x) => x.difference!.problems));
  const allPaired = paired.every((x) => x.difference!.paired);
  return {
    title: {
      text: title,
      subtitle: [
        allPaired
          ? `paired over the ${pairedProblems} problems both runs answered: bars are 95% bootstrap intervals of the difference`
          : "the runs share no problems: differences are resampled independently (wider intervals)",
        `above 0: ${labels[1]} is more accurate`,
      ],
    },
    width: 560,
    height: 280,
    data: { values },
    layer: [{ data: { values: [{}] }, mark: { type: "rule", color: "#444", strokeWidth: 1 }, encoding: { y: { datum: 0 } } }, ...layers],
  } as TopLevelSpec;
}
