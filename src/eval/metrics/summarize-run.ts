import type { EvalRecord } from "../eval-record.js";
import { GREEDY, isSamplingStrategy } from "../sampling-strategies.js";
import { accuracyWithCi, mean, type AccuracyEstimate } from "./bootstrap-accuracy.js";
import { cellsOf, outcomesByProblem } from "./cell-outcomes.js";
import { computeAxes, meanComputeAxes, policyOf, type ComputeAxes } from "./compute-axes.js";
import { computeOptimal, paretoFrontier, type ComputeOptimalPoint } from "./compute-optimal.js";
import { oracleBins, predictedBins, type BinAssignment } from "./difficulty-bins.js";
import { DEFAULT_RATIOS, flopsMatchedRows, type FlopsMatchedRow } from "./flops-matched.js";

export type Binning = "oracle" | "predicted" | "level";

export interface CellSummary {
  strategy: string;
  budget: number;
  accuracy: AccuracyEstimate;
  /** Mean compute per (problem, seed). */
  compute: ComputeAxes;
}

export interface BinnedCellSummary extends CellSummary {
  binning: Binning;
  bin: number;
}

export interface FlopsMatchedSummary {
  smallModel: string;
  largeModel: string;
  /** M: the larger model's parameters over the smaller's. */
  parameterRatio: number;
  /** Mean FLOPs of one greedy solution of the smaller model per problem. */
  smallGreedyFlops: number;
  largeAccuracy: AccuracyEstimate;
  rows: FlopsMatchedRow[];
  /** The same comparison within each oracle difficulty bin of the smaller model. */
  byBin: { bin: number; largeAccuracy: number; rows: FlopsMatchedRow[] }[];
}

export interface RunSummary {
  cells: CellSummary[];
  bins: Partial<Record<Binning, BinAssignment[]>>;
  byBin: BinnedCellSummary[];
  computeOptimal: Partial<Record<"oracle" | "predicted", ComputeOptimalPoint[]>>;
  /** The (strategy, budget) cells no other beats with less mean compute and more accuracy. */
  frontier: { strategy: string; budget: number; compute: number; accuracy: number }[];
  /** The compute the frontier is drawn on: FLOPs, or generations when the records carry no FLOPs (replayed samples). */
  frontierAxis: "flops" | "generations";
  flopsMatched: FlopsMatchedSummary | null;
  /** Why the FLOPs-matched comparison is missing, when it is. */
  flopsMatchedNote: string | null;
}

/**
 * Every metric of a run: accuracy with bootstrap intervals per strategy × budget, the same per
 * difficulty bin (oracle, predicted, and the dataset's levels), compute on three axes, the
 * compute-optimal policy, the FLOPs frontier and, given a larger model's greedy run, the
 * FLOPs-matched comparison for several R.
 */
export function summarizeRun(
  records: readonly EvalRecord[],
  { seed = 0, baseline, ratios = DEFAULT_RATIOS, bins: binCount = 5 }: { seed?: number; baseline?: readonly EvalRecord[]; ratios?: readonly number[]; bins?: number } = {},
): RunSummary {
  const cells = cellsOf(records).map((c) => summarizeCell(c.strategy, c.budget, c.records, seed));
  const bins: RunSummary["bins"] = {};
  const oracle = oracleBins(records, binCount);
  if (oracle) bins.oracle = oracle;
  const predicted = predictedBins(records, binCount);
  if (predicted) bins.predicted = predicted;
  const levels = records.filter((r) => r.level !== undefined);
  if (levels.length > 0) bins.level = [...new Map(levels.map((r) => [r.problemId, { problemId: r.problemId, bin: r.level!, value: r.level! }])).values()];

  const byBin: BinnedCellSummary[] = [];
  for (const [binning, assignment] of Object.entries(bins) as [Binning, BinAssignment[]][]) {
    const binOf = new Map(assignment.map((b) => [b.problemId, b.bin]));
    for (const bin of [...new Set(assignment.map((b) => b.bin))].sort((a, b) => a - b)) {
      for (const c of cellsOf(records)) {
        const own = c.records.filter((r) => binOf.get(r.problemId) === bin);
        if (own.length > 0) byBin.push({ binning, bin, ...summarizeCell(c.strategy, c.budget, own, seed) });
      }
    }
  }
  const optimal: RunSummary["computeOptimal"] = {};
  if (oracle) optimal.oracle = computeOptimal(records, oracle, seed);
  if (predicted) optimal.predicted = computeOptimal(records, predicted, seed);
  const frontierAxis = cells.some((c) => c.compute.flops > 0) ? "flops" : "generations";
  const frontier = paretoFrontier(cells.map((c) => ({ strategy: c.strategy, budget: c.budget, compute: c.compute[frontierAxis], accuracy: c.accuracy.accuracy })));
  const matched = baseline ? flopsMatched(records, cells, baseline, oracle, ratios, seed) : { summary: null, note: "no larger model's run given (report --baseline <dir>)" };
  return { cells, bins, byBin, computeOptimal: optimal, frontier, frontierAxis, flopsMatched: matched.summary, flopsMatchedNote: matched.note };
}

function summarizeCell(strategy: string, budget: number, records: readonly EvalRecord[], seed: number): CellSummary {
  return { strategy, budget, accuracy: accuracyWithCi(outcomesByProblem(records), { seed }), compute: meanComputeAxes(records.map((r) => r.usage)) };
}

function flopsMatched(
  records: readonly EvalRecord[],
  cells: readonly CellSummary[],
  baseline: readonly EvalRecord[],
  oracle: BinAssignment[] | null,
  ratios: readonly number[],
  seed: number,
): { summary: FlopsMatchedSummary | null; note: string | null } {
  const greedyLarge = baseline.filter((r) => r.strategy === GREEDY || (r.strategy === "majority" && r.budget === 1));
  const large = greedyLarge.map((r) => policyOf(r.usage)).find((p) => p !== null);
  if (!large) return { summary: null, note: "the baseline run has no greedy (or majority at budget 1) records" };
  const single = records.filter((r) => r.strategy === GREEDY || (isSamplingStrategy(r.strategy) && r.budget === 1));
  const small = single.map((r) => policyOf(r.usage)).find((p) => p !== null);
  if (!small) return { summary: null, note: "the run has no greedy or budget-1 sampling records to price one solution of the smaller model" };
  const parameterRatio = large.parameters / small.parameters;
  if (parameterRatio < 1) return { summary: null, note: `the baseline model (${large.modelId}) is not larger than the policy (${small.modelId})` };
  const smallGreedyFlops = mean(single.map((r) => (r.usage[small.modelId] ? computeAxes({ [small.modelId]: r.usage[small.modelId]! }).flops : 0)));
  const problems = new Set(records.map((r) => r.problemId));
  const largeOutcomes = outcomesByProblem(greedyLarge, (id) => problems.has(id));
  if (largeOutcomes.size === 0) return { summary: null, note: "the baseline run shares no problem with this run" };
  const largeAccuracy = accuracyWithCi(largeOutcomes, { seed });
  const points = cells.map((c) => ({ strategy: c.strategy, budget: c.budget, accuracy: c.accuracy.accuracy, flops: c.compute.flops }));
  const rows = flopsMatchedRows({ points, smallGreedyFlops, parameterRatio, largeAccuracy: largeAccuracy.accuracy, ratios });
  const byBin = [...new Set((oracle ?? []).map((b) => b.bin))].sort((a, b) => a - b).map((bin) => {
    const inBin = new Set(oracle!.filter((b) => b.bin === bin).map((b) => b.problemId));
    const binPoints = cellsOf(records.filter((r) => inBin.has(r.problemId))).map((c) => ({
      strategy: c.strategy,
      budget: c.budget,
      accuracy: mean([...outcomesByProblem(c.records).values()].map((o) => o.filter(Boolean).length / o.length)),
      flops: mean(c.records.map((r) => computeAxes(r.usage).flops)),
    }));
    const binLarge = mean([...outcomesByProblem(greedyLarge, (id) => inBin.has(id)).values()].map((o) => o.filter(Boolean).length / o.length));
    return { bin, largeAccuracy: binLarge, rows: flopsMatchedRows({ points: binPoints, smallGreedyFlops, parameterRatio, largeAccuracy: binLarge, ratios }) };
  });
  return { summary: { smallModel: small.modelId, largeModel: large.modelId, parameterRatio, smallGreedyFlops, largeAccuracy, rows, byBin }, note: null };
}
