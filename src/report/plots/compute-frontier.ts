import type { TopLevelSpec } from "vega-lite";
import { COMPUTE_AXIS_LABELS, type ComputeAxis } from "../../eval/metrics/compute-axes.js";
import type { RunSummary } from "../../eval/metrics/summarize-run.js";
import { accuracyAxis } from "./budget-axis.js";
import { flopsAxis, logDomain } from "./log-axis.js";
import { FRONTIER_SERIES, seriesEncoding } from "./series-style.js";

/**
 * Accuracy against mean compute per problem, one panel per compute axis (generations, processed
 * FLOPs, as-sent FLOPs) sharing the accuracy axis: each strategy's budgets joined in order, and the
 * frontier that no (strategy, budget) beats. The two FLOPs panels share their x range, so how far a
 * strategy moves between them is what prefix caching saves it. No point labels: the frontier's
 * points are listed in a table beside the plot.
 */
export function computeFrontierSpec(summary: RunSummary, title: string): TopLevelSpec {
  const strategies = [...new Set(summary.cells.map((c) => c.strategy))];
  const style = seriesEncoding(strategies, [FRONTIER_SERIES]);
  const y = accuracyAxis(summary.cells.map((c) => c.accuracy.accuracy));
  const flopsDomain = logDomain(summary.cells.flatMap((c) => [c.compute.processedFlops, c.compute.flops]));
  const panel = (axis: ComputeAxis, i: number) => {
    const points = summary.cells.map((c) => style.styled({ series: c.strategy, budget: c.budget, compute: c.compute[axis], accuracy: c.accuracy.accuracy }));
    const frontier = summary.frontiers[axis].map((f) => style.styled({ series: FRONTIER_SERIES.name, budget: f.budget, compute: f.compute, accuracy: f.accuracy }));
    const { name, counts } = COMPUTE_AXIS_LABELS[axis];
    const axisTitle = [`${name} per problem (log scale)`, `(${counts})`];
    const x =
      axis === "generations"
        ? { field: "compute", type: "quantitative", title: axisTitle, scale: { type: "log", base: 2, domain: logDomain(points.map((p) => p.compute), 1.3), nice: false }, axis: { format: "~d", values: [...new Set(points.map((p) => p.compute))] } }
        : flopsAxis("compute", axisTitle, flopsDomain);
    const yHere = i === 0 ? y : { ...y, axis: { ...y.axis, title: null } };
    const tooltip = [{ field: "series" }, { field: "budget", title: "N" }, { field: "compute", format: ".3~s" }, { field: "accuracy", format: ".1%" }];
    return {
      width: 250,
      height: 260,
      layer: [
        { data: { values: frontier }, mark: { type: "line", interpolate: "step-after", strokeWidth: 1.6 }, encoding: { x, y: yHere, color: style.color, strokeDash: style.strokeDash } },
        { data: { values: points }, mark: { type: "line", strokeWidth: 2 }, encoding: { x, y: yHere, color: style.color, strokeDash: style.strokeDash, order: { field: "budget" } } },
        { data: { values: points }, mark: { type: "point", filled: true, size: 60, opacity: 1 }, encoding: { x, y: yHere, color: style.color, shape: style.shape, tooltip } },
        { data: { values: points }, ...style.legendLayer },
      ],
    };
  };
  return {
    title: {
      text: title,
      subtitle: [
        "mean compute per problem, every model counted (policy and verifier); each strategy's budgets N joined in increasing order",
        "processed: a prompt token whose prefix the same request already sent is a cache hit; as sent: every prompt token each time",
      ],
    },
    hconcat: summary.axes.map(panel),
    resolve: { scale: { y: "shared" } },
  } as TopLevelSpec;
}
