import type { TopLevelSpec } from "vega-lite";
import type { RunSummary } from "../../eval/metrics/summarize-run.js";
import { accuracyAxis, strategyColor } from "./budget-axis.js";

const AXIS_TITLES = {
  flops: "mean FLOPs per problem, all models (log scale)",
  generations: "mean generations per problem (log₂ scale; FLOPs not recorded)",
};

/** Accuracy against mean compute per problem for every (strategy, budget), and the frontier no other point beats. */
export function computeFrontierSpec(summary: RunSummary, title: string): TopLevelSpec {
  const axis = summary.frontierAxis;
  const points = summary.cells.map((c) => ({ strategy: c.strategy, budget: c.budget, compute: c.compute[axis], accuracy: c.accuracy.accuracy, label: `N=${c.budget}` }));
  const frontier = summary.frontier.map((f) => ({ compute: f.compute, accuracy: f.accuracy }));
  const x = { field: "compute", type: "quantitative", title: AXIS_TITLES[axis], scale: axis === "flops" ? { type: "log" } : { type: "log", base: 2 }, axis: { format: axis === "flops" ? ".1e" : "d" } };
  const y = { field: "accuracy", ...accuracyAxis(points.map((p) => p.accuracy)) };
  const color = strategyColor([...new Set(points.map((p) => p.strategy))]);
  return {
    title: { text: title, subtitle: "dashed: the frontier (nothing is more accurate for less compute); labels: budget N" },
    width: 560,
    height: 340,
    layer: [
      { data: { values: frontier }, mark: { type: "line", color: "#333", strokeDash: [5, 4], strokeWidth: 1.5, interpolate: "step-after" }, encoding: { x, y } },
      { data: { values: points }, mark: { type: "point", filled: true, size: 80, opacity: 0.85 }, encoding: { x, y, color, shape: { field: "strategy", type: "nominal", title: "strategy" } } },
      { data: { values: points }, mark: { type: "text", dx: 8, dy: -8, fontSize: 10, color: "#444", align: "left" }, encoding: { x, y, text: { field: "label" } } },
    ],
  } as TopLevelSpec;
}
