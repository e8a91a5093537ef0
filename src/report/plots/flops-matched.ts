import type { TopLevelSpec } from "vega-lite";
import type { CellSummary, FlopsMatchedSummary } from "../../eval/metrics/summarize-run.js";
import { binPanelTitle } from "./accuracy-by-bin.js";
import { accuracyAxis } from "./budget-axis.js";
import { flopsAxis, logDomain } from "./log-axis.js";
import { FRONTIER_SERIES, seriesEncoding, type ExtraSeries } from "./series-style.js";

/**
 * The FLOPs-matched comparison over all problems, on processed FLOPs per problem: every
 * (strategy, budget) the smaller model ran, the best of them within each FLOPs level (step line),
 * the larger model's greedy accuracy (flat line), and one vertical rule per R at the FLOPs the
 * smaller model may spend there. What lies right of the largest run is shaded "not run", so an
 * allowance beyond it shows as such instead of as a flat line.
 */
export function flopsMatchedSpec(m: FlopsMatchedSummary, cells: readonly CellSummary[], title: string): TopLevelSpec {
  const strategies = [...new Set(cells.map((c) => c.strategy))];
  const best: ExtraSeries = { ...FRONTIER_SERIES, name: `${m.smallModel} + test-time compute: best run within the FLOPs`, color: "#000000", dash: [1, 0] };
  const large: ExtraSeries = { name: `${m.largeModel} greedy (${m.parameterRatio.toFixed(1)}× parameters)`, dash: [8, 3], shape: "none", color: "#8a8a8a" };
  const style = seriesEncoding(strategies, [best, large]);
  const points = cells.map((c) => style.styled({ series: c.strategy, budget: c.budget, flops: c.compute.processedFlops, accuracy: c.accuracy.accuracy }));
  const domain = logDomain([...points.map((p) => p.flops), ...m.rows.map((r) => r.flopsAllowed), m.smallGreedyFlops], 1.5);
  const sorted = [...points].filter((p) => Number.isFinite(p.flops)).sort((a, b) => a.flops - b.flops);
  const steps: { flops: number; accuracy: number }[] = [];
  for (const p of sorted) if (steps.length === 0 || p.accuracy > steps[steps.length - 1]!.accuracy) steps.push({ flops: p.flops, accuracy: p.accuracy });
  steps.push({ flops: m.largestRunFlops, accuracy: steps[steps.length - 1]?.accuracy ?? NaN });
  const frontier = steps.map((s) => style.styled({ series: best.name, ...s }));
  const largeLine = [domain[0], domain[1]].map((flops) => style.styled({ series: large.name, flops, accuracy: m.largeAccuracy.accuracy }));
  const rules = m.rows.map((r, i) => ({ flops: r.flopsAllowed, label: `R=${r.r}`, beyond: r.allowanceUnused, level: i % 2 }));
  const x = flopsAxis("flops", ["processed FLOPs per problem (log scale)", "(prefix-cache hits excluded; every model counted)"], domain);
  const y = accuracyAxis([...points.map((p) => p.accuracy), m.largeAccuracy.accuracy]);
  const [, top] = y.scale.domain;
  return {
    title: {
      text: title,
      subtitle: [
        `rules: what ${m.smallModel} may spend at R = inference / pretraining tokens:`,
        `M + 3(M−1)/R × one greedy solution, M = ${m.parameterRatio.toFixed(1)}× the parameters`,
        "shaded: beyond the largest budget run (an allowance there was not fully used)",
      ],
    },
    width: 600,
    height: 320,
    layer: [
      { data: { values: [{ from: m.largestRunFlops, to: domain[1] }] }, mark: { type: "rect", color: "#efefef" }, encoding: { x: { ...x, field: "from" }, x2: { field: "to" } } },
      { data: { values: [{ at: Math.sqrt(m.largestRunFlops * domain[1]), text: "not run" }] }, mark: { type: "text", color: "#777", fontSize: 12, baseline: "bottom", dy: -4, fontStyle: "italic" }, encoding: { x: { ...x, field: "at" }, y: { datum: y.scale.domain[0] }, text: { field: "text" } } },
      { data: { values: rules }, mark: { type: "rule", color: "#555", strokeDash: [2, 2], strokeWidth: 1.2 }, encoding: { x } },
      { data: { values: rules }, mark: { type: "text", fontSize: 11, color: "#333", baseline: "top", dy: 3 }, encoding: { x, y: { datum: top }, yOffset: { field: "level", type: "quantitative", scale: { domain: [0, 1], range: [0, 14] } }, text: { field: "label" } } },
      { data: { values: largeLine }, mark: { type: "line", strokeWidth: 2.2 }, encoding: { x, y, color: style.color, strokeDash: style.strokeDash } },
      { data: { values: frontier }, mark: { type: "line", interpolate: "step-after", strokeWidth: 2 }, encoding: { x, y, color: style.color, strokeDash: style.strokeDash } },
      { data: { values: points }, mark: { type: "point", filled: true, size: 55, opacity: 0.9 }, encoding: { x, y, color: style.color, shape: style.shape, tooltip: [{ field: "series" }, { field: "budget", title: "N" }, { field: "flops", format: ".3~s" }, { field: "accuracy", format: ".1%" }] } },
      { data: { values: points }, ...style.legendLayer },
    ],
  } as TopLevelSpec;
}

/**
 * The same comparison per oracle difficulty bin and R: each cell is the smaller model's best
 * accuracy within the allowance minus the larger model's greedy accuracy, in points, coloured on
 * a diverging blue–orange scale (safe for colour-blind readers), marked * where the allowance
 * exceeds the largest budget run.
 */
export function flopsMatchedByBinSpec(m: FlopsMatchedSummary, binProblems: ReadonlyMap<number, number>, title: string): TopLevelSpec {
  const rowName = (bin: number) => binPanelTitle("oracle", bin, binProblems.get(bin) ?? 0);
  const values = m.byBin.flatMap((b) =>
    b.rows.map((r) => {
      const diff = r.small ? (r.small.accuracy - b.largeAccuracy) * 100 : NaN;
      return { bin: rowName(b.bin), r: `R=${r.r}`, diff, text: Number.isFinite(diff) ? `${diff > 0 ? "+" : ""}${diff.toFixed(0)}${r.allowanceUnused ? "*" : ""}` : "none fits" };
    }),
  );
  const limit = Math.max(10, ...values.map((v) => Math.abs(v.diff)).filter(Number.isFinite));
  return {
    title: {
      text: title,
      subtitle: [
        `${m.smallModel} + test-time compute minus ${m.largeModel} greedy, accuracy points, per oracle difficulty bin (1 easiest) and R`,
        "orange: the larger model wins; blue: the smaller model with test-time compute wins; * allowance beyond the largest budget run",
      ],
    },
    data: { values },
    width: { step: 78 },
    height: { step: 30 },
    layer: [
      { mark: { type: "rect", stroke: "white", strokeWidth: 1.5 }, encoding: { x: { field: "r", type: "ordinal", title: "R = inference / pretraining tokens", sort: m.rows.map((r) => `R=${r.r}`), axis: { labelAngle: 0 } }, y: { field: "bin", type: "ordinal", title: null }, color: { field: "diff", type: "quantitative", title: "points", scale: { scheme: "blueorange", domain: [-limit, limit], reverse: true }, legend: { gradientLength: 140 } } } },
      { mark: { type: "text", fontSize: 12 }, encoding: { x: { field: "r", type: "ordinal", sort: m.rows.map((r) => `R=${r.r}`) }, y: { field: "bin", type: "ordinal" }, text: { field: "text" }, color: { condition: { test: `abs(datum.diff) > ${limit * 0.6}`, value: "white" }, value: "#111" } } },
    ],
  } as TopLevelSpec;
}
