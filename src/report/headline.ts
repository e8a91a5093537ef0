import type { AccuracyDifference } from "../eval/metrics/paired-difference.js";
import { FEW_PROBLEMS, type CellSummary, type RunSummary } from "../eval/metrics/summarize-run.js";
import { percent } from "./format-table.js";

/**
 * A difference in points with its interval: "+7.5 points (paired 95% interval +2.5 to +12.5)";
 * `brief` for table cells: "+7.5 [+2.5, +12.5]".
 */
export function pointsWithInterval(d: AccuracyDifference, { brief = false }: { brief?: boolean } = {}): string {
  if (!Number.isFinite(d.difference)) return "no shared problems to compare";
  const pts = (x: number) => (Math.abs(x) < 5e-4 ? "0.0" : `${x > 0 ? "+" : "−"}${Math.abs(x * 100).toFixed(1)}`);
  if (brief) return `${pts(d.difference)} [${pts(d.low)}, ${pts(d.high)}]`;
  if (d.paired && d.low === 0 && d.high === 0 && d.difference === 0) return `0.0 points (right on exactly the same ${d.problems} problems)`;
  const resolved = d.low > 0 || d.high < 0;
  return `${pts(d.difference)} points (${d.paired ? "paired " : ""}95% interval ${pts(d.low)} to ${pts(d.high)}${resolved ? "" : `: not resolved with ${d.problems} problems`})`;
}

/** "60.0% [45%–75%]" */
export function accuracyWithInterval(c: Pick<CellSummary, "accuracy">): string {
  return `${percent(c.accuracy.accuracy)} [${percent(c.accuracy.low, 0)}–${percent(c.accuracy.high, 0)}]`;
}

/**
 * The report's first sentence: at the largest budget, the most accurate strategy against the
 * reference (majority voting, else the first strategy), with the paired difference and its cost.
 */
export function headlineSentence(summary: RunSummary): string | null {
  const h = summary.headline;
  if (!h) return null;
  const cost = costRatio(h.best, h.reference, summary);
  const where = `At N = ${h.budget} on ${h.best.accuracy.problems} problems`;
  const [a, b] = [h.best.accuracy.accuracy, h.reference.accuracy.accuracy];
  if (a > b) return `${where}, ${h.best.strategy} is the most accurate strategy: ${accuracyWithInterval(h.best)}, ${pointsWithInterval(h.difference)} over ${h.reference.strategy}${cost ? `, for ${cost}` : ""}.`;
  if (a === b) return `${where}, ${h.best.strategy} and ${h.reference.strategy} tie at ${accuracyWithInterval(h.best)}: ${pointsWithInterval(h.difference)}${cost ? `; ${h.best.strategy} spends ${cost}` : ""}.`;
  return `${where}, no strategy beats ${h.reference.strategy} (${accuracyWithInterval(h.reference)}): the closest, ${h.best.strategy}, is ${pointsWithInterval(h.difference)}${cost ? ` for ${cost}` : ""}.`;
}

/** The facts that follow the headline: the other strategies, the best per budget, compute-optimal, prefix caching, sample size. */
export function summaryFacts(summary: RunSummary): string[] {
  const facts: string[] = [];
  const h = summary.headline;
  for (const { cell, difference } of h?.others ?? []) facts.push(`${cell.strategy} at N = ${cell.budget}: ${accuracyWithInterval(cell)}, ${pointsWithInterval(difference)} vs ${h?.reference.strategy}.`);
  const budgets = [...new Set(summary.cells.map((c) => c.budget))].sort((a, b) => a - b);
  if (budgets.length > 1) {
    const best = budgets.map((b) => summary.cells.filter((c) => c.budget === b).reduce((x, c) => (c.accuracy.accuracy > x.accuracy.accuracy ? c : x)));
    facts.push(`Most accurate per budget: ${best.map((c) => `N = ${c.budget} ${c.strategy} ${percent(c.accuracy.accuracy)}`).join("; ")}.`);
  }
  const optimal = summary.computeOptimal.oracle;
  if (optimal && optimal.length > 0) {
    facts.push(`Compute-optimal (each oracle difficulty bin uses the strategy best on the other half of the problems): ${optimal.map((p) => `${percent(p.accuracy)} at N = ${p.budget}`).join(", ")}.`);
  }
  if (summary.axes.includes("processedFlops") && h) {
    const at = summary.cells.filter((c) => c.budget === h.budget && c.compute.flops > 0);
    facts.push(
      `Prefix caching: at N = ${h.budget} the FLOPs processed are ${at.map((c) => `${(c.compute.processedFlops / c.compute.flops * 100).toFixed(0)}% of those sent for ${c.strategy}`).join(", ")}; ` +
        "plots and tables say which axis they use.",
    );
  }
  const m = summary.flopsMatched;
  if (m) {
    const wins = m.rows.filter((r) => r.winner === "small").map((r) => `R = ${r.r}`);
    facts.push(
      `At matched FLOPs, ${m.smallModel} with test-time compute ${wins.length === 0 ? "loses to" : wins.length === m.rows.length ? "beats or matches" : `beats or matches (at ${wins.join(", ")})`} ` +
        `${m.largeModel} greedy (${percent(m.largeAccuracy.accuracy)}, ${m.parameterRatio.toFixed(1)}× the parameters)` +
        (m.rows.some((r) => r.allowanceUnused) ? `; at ${m.rows.filter((r) => r.allowanceUnused).map((r) => `R = ${r.r}`).join(", ")} the allowance exceeds the largest budget run.` : "."),
    );
  }
  return facts;
}

/** Warnings about sample size: the run as a whole, and cells of difficulty bins. */
export function sampleSizeWarnings(summary: RunSummary): string[] {
  const out: string[] = [];
  const problems = Math.max(0, ...summary.cells.map((c) => c.accuracy.problems));
  if (problems < FEW_PROBLEMS) out.push(`The run has ${problems} problems: 95% intervals this wide (about ±${halfWidth(problems)} points) leave most differences unresolved; run more problems before reading anything into them.`);
  const small = summary.byBin.filter((c) => c.binning !== "level" && c.accuracy.problems < FEW_PROBLEMS);
  if (small.length > 0) {
    const sizes = [...new Set(small.map((c) => c.accuracy.problems))].sort((a, b) => a - b);
    out.push(`Difficulty-bin cells rest on ${sizes.join(" to ")} problems (marked ⚠; fewer than ${FEW_PROBLEMS}): per-bin differences are anecdotes, not findings.`);
  }
  return out;
}

/** Half the width of a 95% interval around 50% with n problems, in points. */
function halfWidth(n: number): string {
  return n > 0 ? (196 * Math.sqrt(0.25 / n)).toFixed(0) : "∞";
}

function costRatio(a: CellSummary, b: CellSummary, summary: RunSummary): string | null {
  if (!summary.axes.includes("processedFlops") || !(b.compute.processedFlops > 0)) return null;
  return `${(a.compute.processedFlops / b.compute.processedFlops).toFixed(2)}× its processed FLOPs`;
}
