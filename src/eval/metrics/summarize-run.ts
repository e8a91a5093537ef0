import type { EvalRecord } from "../eval-record.js";
import { GREEDY, isSamplingStrategy } from "../sampling-strategies.js";
import { accuracyWithCi, mean, type AccuracyEstimate } from "./bootstrap-accuracy.js";
import { cellsOf, outcomesByProblem } from "./cell-outcomes.js";
import { computeAxes, meanComputeAxes, policyOf, type ComputeAxes, type ComputeAxis } from "./compute-axes.js";
import { computeOptimal, paretoFrontier, type ComputeOptimalPoint } from "./compute-optimal.js";
import { oracleBins, predictedBins, type BinAssignment } from "./difficulty-bins.js";
import { DEFAULT_RATIOS, flopsMatchedRows, type FlopsMatchedRow } from "./flops-matched.js";
import { pairedDifference, type AccuracyDifference } from "./paired-difference.js";

/**
 * Cells resting on fewer problems are flagged as too small to trust: at 30 problems a 95% interval
 * around an accuracy of 50% already spans about ±18 points.
 */
export const FEW_PROBLEMS = 30;

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
  /** Mean processed FLOPs of one greedy solution of the smaller model per problem. */
  smallGreedyFlops: number;
  /** The largest mean processed FLOPs per problem of any (strategy, budget) the run holds: allowances beyond it were not run. */
  largestRunFlops: number;
  largeAccuracy: AccuracyEstimate;
  rows: FlopsMatchedRow[];
  /** The same comparison within each oracle difficulty bin of the smaller model. */
  byBin: { bin: number; largeAccuracy: number; rows: FlopsMatchedRow[] }[];
}

export interface FrontierPoint {
  strategy: string;
  budget: number;
  compute: number;
  accuracy: number;
}

export interface Headline {
  budget: number;
  /** The most accurate strategy other than the reference. */
  best: CellSummary;
  reference: CellSummary;
  /** best − reference, paired over the problems both answered. */
  difference: AccuracyDifference;
  /** Every other strategy at the budget, minus the reference. */
  others: { cell: CellSummary; difference: AccuracyDifference }[];
}

export interface RunSummary {
  cells: CellSummary[];
  bins: Partial<Record<Binning, BinAssignment[]>>;
  byBin: BinnedCellSummary[];
  computeOptimal: Partial<Record<"oracle" | "predicted", ComputeOptimalPoint[]>>;
  /** Per compute axis, the (strategy, budget) cells no other beats with more accuracy for no more mean compute. */
  frontiers: Record<ComputeAxis, FrontierPoint[]>;
  /** The axes the run can be drawn on: all three, or generations alone when the records carry no FLOPs (replayed samples). */
  axes: ComputeAxis[];
  /** The comparison to state first: at the largest budget, the most accurate strategy against a reference (majority voting, else the first strategy). */
  headline: Headline | null;
  flopsMatched: FlopsMatchedSummary | null;
  /** Why the FLOPs-matched comparison is missing, when it is. */
  flopsMatchedNote: string | null;
}

/**
 * Every metric of a run: accuracy with bootstrap intervals per strategy × budget, the same per
 * difficulty bin (oracle, predicted, and the dataset's levels), compute on three axes (generations,
 * processed FLOPs, as-sent FLOPs), the compute-optimal policy, the frontier on each axis, the
 * headline comparison and, given a larger model's greedy run, the FLOPs-matched comparison (in
 * processed FLOPs) for several R. Every figure is a function of the records and `seed` alone.
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
  const axes: ComputeAxis[] = cells.some((c) => c.compute.flops > 0) ? ["generations", "processedFlops", "flops"] : ["generations"];
  const frontierOn = (axis: ComputeAxis) => paretoFrontier(cells.map((c) => ({ strategy: c.strategy, budget: c.budget, compute: c.compute[axis], accuracy: c.accuracy.accuracy })));
  const frontiers = { generations: frontierOn("generations"), processedFlops: frontierOn("processedFlops"), flops: frontierOn("flops") };
  const matched = baseline ? flopsMatched(records, cells, baseline, oracle, ratios, seed) : { summary: null, note: "no larger model's run given (report --baseline <dir>)" };
  return { cells, bins, byBin, computeOptimal: optimal, frontiers, axes, headline: headlineOf(records, cells, seed), flopsMatched: matched.summary, flopsMatchedNote: matched.note };
}

/**
 * At the largest budget: the reference (majority voting, the published baseline that needs no
 * verifier, else the first strategy run) and the most accurate of the others (ties: the first).
 */
function headlineOf(records: readonly EvalRecord[], cells: readonly CellSummary[], seed: number): Headline | null {
  const budget = Math.max(...cells.filter((c) => c.budget > 0 && c.strategy !== GREEDY).map((c) => c.budget));
  const at = cells.filter((c) => c.budget === budget && c.strategy !== GREEDY && Number.isFinite(c.accuracy.accuracy));
  if (at.length < 2) return null;
  const reference = at.find((c) => c.strategy === "majority") ?? at[0]!;
  const others = at.filter((c) => c !== reference);
  const best = others.reduce((b, c) => (c.accuracy.accuracy > b.accuracy.accuracy ? c : b));
  const outcomes = (cell: CellSummary) => outcomesByProblem(records.filter((r) => r.strategy === cell.strategy && r.budget === cell.budget));
  const versus = (cell: CellSummary) => pairedDifference(outcomes(reference), outcomes(cell), { seed });
  return { budget, best, reference, difference: versus(best), others: others.filter((c) => c !== best).map((cell) => ({ cell, difference: versus(cell) })) };
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
  const smallGreedyFlops = mean(single.map((r) => (r.usage[small.modelId] ? computeAxes({ [small.modelId]: r.usage[small.modelId]! }).processedFlops : 0)));
  const problems = new Set(records.map((r) => r.problemId));
  const largeOutcomes = outcomesByProblem(greedyLarge, (id) => problems.has(id));
  if (largeOutcomes.size === 0) return { summary: null, note: "the baseline run shares no problem with this run" };
  const largeAccuracy = accuracyWithCi(largeOutcomes, { seed });
  const points = cells.map((c) => ({ strategy: c.strategy, budget: c.budget, accuracy: c.accuracy.accuracy, flops: c.compute.processedFlops }));
  const rows = flopsMatchedRows({ points, smallGreedyFlops, parameterRatio, largeAccuracy: largeAccuracy.accuracy, ratios });
  const byBin = [...new Set((oracle ?? []).map((b) => b.bin))].sort((a, b) => a - b).map((bin) => {
    const inBin = new Set(oracle!.filter((b) => b.bin === bin).map((b) => b.problemId));
    const binPoints = cellsOf(records.filter((r) => inBin.has(r.problemId))).map((c) => ({
      strategy: c.strategy,
      budget: c.budget,
      accuracy: mean([...outcomesByProblem(c.records).values()].map((o) => o.filter(Boolean).length / o.length)),
      flops: mean(c.records.map((r) => computeAxes(r.usage).processedFlops)),
    }));
    const binLarge = mean([...outcomesByProblem(greedyLarge, (id) => inBin.has(id)).values()].map((o) => o.filter(Boolean).length / o.length));
    return { bin, largeAccuracy: binLarge, rows: flopsMatchedRows({ points: binPoints, smallGreedyFlops, parameterRatio, largeAccuracy: binLarge, ratios }) };
  });
  const largestRunFlops = Math.max(...points.map((p) => p.flops).filter(Number.isFinite));
  return { summary: { smallModel: small.modelId, largeModel: large.modelId, parameterRatio, smallGreedyFlops, largestRunFlops, largeAccuracy, rows, byBin }, note: null };
}
