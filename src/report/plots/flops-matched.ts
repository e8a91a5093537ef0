import type { TopLevelSpec } from "vega-lite";
import type { FlopsMatchedSummary } from "../../eval/metrics/summarize-run.js";
import { accuracyAxis } from "./budget-axis.js";

/**
 * At matched total FLOPs, for each R = D_inference / D_pretrain: the smaller model's best accuracy
 * with the test-time compute it is allowed, against the larger model's greedy accuracy; one panel
 * for all problems and one per oracle difficulty bin.
 */
export function flopsMatchedSpec(m: FlopsMatchedSummary, title: string): TopLevelSpec {
  const panels = [{ panel: "all problems", rows: m.rows }, ...m.byBin.map((b) => ({ panel: `bin ${b.bin}`, rows: b.rows }))];
  const values = panels.flatMap(({ panel, rows }) =>
    rows.flatMap((r) => [
      { panel, r: r.r, who: `${m.smallModel} + test-time compute`, accuracy: r.small?.accuracy ?? null },
      { panel, r: r.r, who: `${m.largeModel} greedy (${m.parameterRatio.toFixed(1)}× parameters)`, accuracy: r.largeAccuracy },
    ]),
  );
  return {
    title: { text: title, subtitle: "x: R = inference tokens / pretraining tokens; small model gets M + 3(M−1)/R × one greedy solution's FLOPs" },
    data: { values },
    facet: { column: { field: "panel", type: "nominal", title: null, sort: panels.map((p) => p.panel) } },
    spec: {
      width: 150,
      height: 220,
      mark: { type: "line", point: true, strokeWidth: 2 },
      encoding: {
        x: { field: "r", type: "quantitative", title: "R (log scale)", scale: { type: "log" }, axis: { values: m.rows.map((r) => r.r) } },
        y: { field: "accuracy", ...accuracyAxis(values.map((v) => v.accuracy ?? NaN)) },
        color: { field: "who", type: "nominal", title: null, legend: { orient: "bottom", direction: "vertical" } },
      },
    },
  } as TopLevelSpec;
}
