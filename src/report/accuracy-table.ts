import type { CellSummary } from "../eval/metrics/summarize-run.js";
import { formatTable, percent } from "./format-table.js";

/**
 * Strategies down, budgets across: accuracy with its 95% interval.
 * @example console.log(accuracyTable(summarizeRun(records).cells, "text"))
 */
export function accuracyTable(cells: readonly CellSummary[], style: "text" | "markdown"): string {
  const budgets = [...new Set(cells.map((c) => c.budget))].sort((a, b) => a - b);
  const strategies = [...new Set(cells.map((c) => c.strategy))];
  const rows = strategies.map((s) => [
    s,
    ...budgets.map((b) => {
      const c = cells.find((x) => x.strategy === s && x.budget === b);
      return c ? `${percent(c.accuracy.accuracy)} [${percent(c.accuracy.low, 0)}–${percent(c.accuracy.high, 0)}]` : "";
    }),
  ]);
  return formatTable(["strategy \\ N", ...budgets.map(String)], rows, style);
}
