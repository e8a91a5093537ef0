/**
 * Okabe & Ito's palette, which stays distinguishable under the common colour-vision deficiencies
 * (and in greyscale print, helped by a shape per series). Yellow comes last: it is faint on white.
 */
export const OKABE_ITO = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"] as const;

const SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "triangle-right", "wedge"] as const;

/** A series drawn differently from the strategies: dashed, black, with its own shape. */
export interface ExtraSeries {
  name: string;
  dash: number[];
  shape: string;
  color: string;
}

/** Marker paths in vega's unit square (−1…1), filled. */
const MARKERS: Record<string, string> = {
  circle: "M-0.5,0a0.5,0.5 0 1,0 1,0a0.5,0.5 0 1,0 -1,0Z",
  square: "M-0.45,-0.45h0.9v0.9h-0.9Z",
  "triangle-up": "M0,-0.55L0.55,0.45L-0.55,0.45Z",
  diamond: "M0,-0.6L0.6,0L0,0.6L-0.6,0Z",
  cross: "M-0.15,-0.55h0.3v0.4h0.4v0.3h-0.4v0.4h-0.3v-0.4h-0.4v-0.3h0.4Z",
  "triangle-down": "M0,0.55L0.55,-0.45L-0.55,-0.45Z",
  "triangle-right": "M0.55,0L-0.45,0.55L-0.45,-0.55Z",
  wedge: "M0,-0.6L0.35,0.5L-0.35,0.5Z",
  none: "",
};

/** A legend symbol: a line sample (solid, or dashed as the pattern says) with the series' marker on it. */
function legendSymbol(shape: string, dash: readonly number[]): string {
  const y = 0.09;
  let line = "";
  if (dash.length === 0 || dash[1] === 0) line = `M-1.6,-${y}h3.2v${2 * y}h-3.2Z`;
  else {
    // The dash pattern in pixels, on a sample about 45 px long.
    const scale = 3.2 / 45;
    for (let at = -1.6, i = 0; at < 1.6; i++) {
      const len = Math.min(dash[i % 2 === 0 ? 0 : 1]! * scale, 1.6 - at);
      if (i % 2 === 0) line += `M${at.toFixed(3)},-${y}h${len.toFixed(3)}v${2 * y}h-${len.toFixed(3)}Z`;
      at += len;
    }
  }
  return line + MARKERS[shape]!;
}

/**
 * Styles of the `series` field: one colour, marker and line style per series, the same for a
 * strategy in every plot of a report. `color` goes on every layer; `shape` and `strokeDash` read
 * the marker and dash that `styled` puts on each row (unscaled, so they add no legend of their
 * own); `legendLayer` is an invisible layer whose single legend shows each series as its colour,
 * line (solid or dashed) and marker together, so the dashed compute-optimal line reads as such.
 */
export function seriesEncoding(strategies: readonly string[], extra: readonly ExtraSeries[] = []) {
  const domain = [...strategies, ...extra.map((e) => e.name)];
  const colors = [...strategies.map((_, i) => OKABE_ITO[i % OKABE_ITO.length]!), ...extra.map((e) => e.color)];
  const shapes = [...strategies.map((_, i) => SHAPES[i % SHAPES.length]!), ...extra.map((e) => e.shape)];
  const dashes = [...strategies.map(() => [1, 0]), ...extra.map((e) => e.dash)];
  // One row when the labels fit under a plot, else a grid that wraps.
  const columns = domain.join("").length > 90 ? 2 : 0;
  const legend = { title: null, orient: "bottom" as const, direction: "horizontal" as const, columns, labelLimit: 0, symbolSize: 300, symbolOpacity: 1, symbolStrokeWidth: 0, labelOffset: 18, columnPadding: 22,
    // The legend belongs to the shape channel; its symbols take their colour from the colour scale.
    encode: { symbols: { update: { fill: { scale: "color", field: "value" } } } } };
  const color = { field: "series", type: "nominal" as const, scale: { domain, range: colors }, legend: null };
  return {
    color,
    shape: { field: "marker", type: "nominal" as const, scale: null },
    strokeDash: { field: "dash", type: "nominal" as const, scale: null },
    /** A row with its series' marker and dash, for `shape` and `strokeDash`. */
    styled: <T extends { series: string }>(row: T) => ({ ...row, marker: shapes[domain.indexOf(row.series)] ?? "circle", dash: dashes[domain.indexOf(row.series)] ?? [1, 0] }),
    legendLayer: {
      mark: { type: "point" as const, filled: true, opacity: 0 },
      encoding: { color, shape: { field: "series", type: "nominal" as const, scale: { domain, range: shapes.map((s, i) => legendSymbol(s, dashes[i]!)) }, legend } },
    },
  };
}
/** The frontier of compute plots: a grey dashed step line, no marker. */
export const FRONTIER_SERIES: ExtraSeries = { name: "frontier: nothing more accurate for less compute", dash: [4, 3], shape: "none", color: "#6b6b6b" };

/** The dashed compute-optimal series of accuracy plots. */
export const OPTIMAL_SERIES: ExtraSeries = { name: "compute-optimal per oracle bin (2-fold CV)", dash: [7, 4], shape: "diamond", color: "#000000" };
