import type { EvalRecord } from "../eval-record.js";
import { outcomesByProblem } from "./cell-outcomes.js";
import { pairedDifference, type AccuracyDifference } from "./paired-difference.js";
import { summarizeRun, type CellSummary, type RunSummary } from "./summarize-run.js";

/** One (strategy, budget) seen in either run. */
export interface ComparedCell {
  strategy: string;
  budget: number;
  a: CellSummary | null;
  b: CellSummary | null;
  /** b − a, paired over the problems both runs answered (null when one run lacks the cell). */
  difference: AccuracyDifference | null;
}

/** Two runs side by side: each one's summary, and every cell they share compared. */
export interface RunComparison {
  a: RunSummary;
  b: RunSummary;
  cells: ComparedCell[];
  /** Problems each run answered, and those both did. */
  problems: { a: number; b: number; shared: number };
  /** The largest budget at which both runs hold a strategy, and those strategies' differences: the comparison to state first. */
  headline: { budget: number; cells: ComparedCell[] } | null;
}

/**
 * Compares two runs, for example two models, or the embedded engine against a server, on the same
 * problems. Where the problems match the differences are paired (resampling problems jointly), so
 * a run that is better on most problems shows it even when the two separate intervals overlap.
 * @example compareRuns(ResultsStore.read("runs/small").records, ResultsStore.read("runs/server").records)
 */
export function compareRuns(a: readonly EvalRecord[], b: readonly EvalRecord[], { seed = 0 }: { seed?: number } = {}): RunComparison {
  const [sa, sb] = [summarizeRun(a, { seed }), summarizeRun(b, { seed })];
  const keys = [...new Map([...sa.cells, ...sb.cells].map((c) => [JSON.stringify([c.strategy, c.budget]), c])).values()];
  const order = [...new Set(keys.map((c) => c.strategy))];
  keys.sort((x, y) => order.indexOf(x.strategy) - order.indexOf(y.strategy) || x.budget - y.budget);
  const cells = keys.map(({ strategy, budget }) => {
    const ca = sa.cells.find((c) => c.strategy === strategy && c.budget === budget) ?? null;
    const cb = sb.cells.find((c) => c.strategy === strategy && c.budget === budget) ?? null;
    const outcomes = (records: readonly EvalRecord[]) => outcomesByProblem(records.filter((r) => r.strategy === strategy && r.budget === budget));
    return { strategy, budget, a: ca, b: cb, difference: ca && cb ? pairedDifference(outcomes(a), outcomes(b), { seed }) : null };
  });
  const ids = (records: readonly EvalRecord[]) => new Set(records.map((r) => r.problemId));
  const [ia, ib] = [ids(a), ids(b)];
  const both = cells.filter((c) => c.difference !== null);
  const budget = Math.max(...both.map((c) => c.budget));
  return {
    a: sa,
    b: sb,
    cells,
    problems: { a: ia.size, b: ib.size, shared: [...ia].filter((id) => ib.has(id)).length },
    headline: both.length > 0 ? { budget, cells: both.filter((c) => c.budget === budget) } : null,
  };
}
