import type { TopLevelSpec } from "vega-lite";
import { FEW_PROBLEMS, type Binning, type RunSummary } from "../../eval/metrics/summarize-run.js";
import { accuracyAxis, budgetAxis, dodgedBudget } from "./budget-axis.js";
import { seriesEncoding } from "./series-style.js";

const BIN_TITLES: Record<Binning, string> = {
  oracle: "oracle difficulty bin (quintiles of the policy's pass@1; 1 easiest)",
  predicted: "predicted difficulty bin (quintiles of the mean verifier score; 1 easiest)",
  level: "the dataset's difficulty level",
};

/** The panel title of a bin: its number, how many problems it holds, and a warning when that is too few. */
export function binPanelTitle(binning: Binning, bin: number, problems: number): string {
  return `${binning === "level" ? "level" : "bin"} ${bin} · ${problems} problems${problems < FEW_PROBLEMS ? " ⚠" : ""}`;
}

/** Accuracy against budget per strategy, one panel per difficulty bin, each headed by its sample size. */
export function accuracyByBinSpec(summary: RunSummary, binning: Binning, title: string): TopLevelSpec {
  const cells = summary.byBin.filter((c) => c.binning === binning);
  const strategies = [...new Set(summary.cells.map((c) => c.strategy))];
  const budgets = [...new Set(cells.map((c) => c.budget))].sort((a, b) => a - b);
  const bins = [...new Set(cells.map((c) => c.bin))].sort((a, b) => a - b);
  const problemsIn = new Map(bins.map((bin) => [bin, Math.max(...cells.filter((c) => c.bin === bin).map((c) => c.accuracy.problems))]));
  const style = seriesEncoding(strategies);
  const values = cells.map((c) =>
    style.styled({
      series: c.strategy,
      panel: binPanelTitle(binning, c.bin, problemsIn.get(c.bin)!),
      budget: c.budget,
      x: dodgedBudget(c.budget, strategies.indexOf(c.strategy), strategies.length, budgets),
      accuracy: c.accuracy.accuracy,
      low: c.accuracy.low,
      high: c.accuracy.high,
    }),
  );
  const few = [...problemsIn.values()].some((n) => n < FEW_PROBLEMS);
  const x = budgetAxis(budgets, "budget N (log₂)");
  const y = accuracyAxis(values.flatMap((v) => [v.low, v.high]));
  return {
    title: {
      text: title,
      subtitle: [
        `${BIN_TITLES[binning]}; bars: 95% bootstrap interval over the bin's problems`,
        ...(few ? [`⚠ fewer than ${FEW_PROBLEMS} problems: intervals this wide leave most differences unresolved`] : []),
      ],
    },
    data: { values },
    facet: { column: { field: "panel", type: "nominal", title: null, sort: bins.map((b) => binPanelTitle(binning, b, problemsIn.get(b)!)), header: { labelFontSize: 12 } } },
    spec: {
      width: Math.max(120, Math.min(200, 900 / bins.length)),
      height: 220,
      layer: [
        { mark: { type: "rule", strokeWidth: 1.8, opacity: 0.7 }, encoding: { x, y: { ...y, field: "low" }, y2: { field: "high" }, color: style.color } },
        { mark: { type: "line", strokeWidth: 2 }, encoding: { x, y, color: style.color, strokeDash: style.strokeDash } },
        { mark: { type: "point", filled: true, size: 45, opacity: 1 }, encoding: { x, y, color: style.color, shape: style.shape } },
        style.legendLayer,
      ],
    },
  } as TopLevelSpec;
}
