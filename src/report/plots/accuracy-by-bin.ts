import type { TopLevelSpec } from "vega-lite";
import type { Binning, RunSummary } from "../../eval/metrics/summarize-run.js";
import { accuracyAxis, budgetAxis, strategyColor } from "./budget-axis.js";

const BIN_TITLES: Record<Binning, string> = {
  oracle: "oracle difficulty bin (quintiles of pass@1; 1 easiest, 5 hardest)",
  predicted: "predicted difficulty bin (quintiles of mean verifier score; 1 easiest)",
  level: "dataset difficulty level",
};

/** Accuracy against budget per strategy, one panel per difficulty bin. */
export function accuracyByBinSpec(summary: RunSummary, binning: Binning, title: string): TopLevelSpec {
  const rows = summary.byBin
    .filter((c) => c.binning === binning)
    .map((c) => ({ bin: c.bin, strategy: c.strategy, budget: c.budget, accuracy: c.accuracy.accuracy, low: c.accuracy.low, high: c.accuracy.high, problems: c.accuracy.problems }));
  const budgets = [...new Set(rows.map((r) => r.budget))].sort((a, b) => a - b);
  const x = budgetAxis(budgets, "budget N (log₂)");
  const color = strategyColor([...new Set(summary.cells.map((c) => c.strategy))]);
  const y = accuracyAxis(rows.flatMap((r) => [r.low, r.high]));
  return {
    title: { text: title, subtitle: "one panel per bin; bars: 95% bootstrap interval over the bin's problems" },
    data: { values: rows },
    facet: { column: { field: "bin", type: "ordinal", title: BIN_TITLES[binning] } },
    spec: {
      width: 170,
      height: 220,
      layer: [
        { mark: { type: "rule" }, encoding: { x, y: { field: "low", ...y }, y2: { field: "high" }, color } },
        { mark: { type: "line", point: true, strokeWidth: 2 }, encoding: { x, y: { field: "accuracy", ...y }, color } },
      ],
    },
  } as TopLevelSpec;
}
