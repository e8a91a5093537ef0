import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

/** Fonts and sizes every plot shares, so text reads well at the PNG's size. */
export const PLOT_CONFIG = {
  font: "DejaVu Sans",
  background: "white",
  padding: 12,
  title: { fontSize: 16, subtitleFontSize: 12, subtitleColor: "#555", anchor: "start" },
  axis: { labelFontSize: 12, titleFontSize: 13, gridColor: "#e6e6e6" },
  legend: { labelFontSize: 12, titleFontSize: 13, labelLimit: 320 },
  header: { labelFontSize: 13, titleFontSize: 13 },
} as const;

/**
 * Gives the symbols of a shape legend the colour of their series. The plots draw one legend per
 * series from the shape channel (whose symbols show the line style with the marker, see
 * seriesEncoding); vega-lite paints a shape legend's symbols black unless the colour legend merges
 * into it, which it does not across layers.
 */
function colourShapeLegends(spec: vega.Spec): void {
  if (!spec.scales?.some((s) => s.name === "color")) return;
  for (const legend of spec.legends ?? []) {
    const update = legend.shape && !legend.fill ? legend.encode?.symbols?.update : undefined;
    if (update) update.fill = { scale: "color", field: "value" };
  }
}

/** A plot rendered without a browser: SVG from vega, PNG from the SVG. */
export interface RenderedPlot {
  svg: string;
  png: Buffer;
}

/**
 * Renders a vega-lite spec to SVG and, at `scale` times its size, to PNG. Vega loads no data or
 * fonts from the network here: specs carry their data inline and the PNG uses system fonts.
 */
export async function renderPlot(spec: TopLevelSpec, { scale = 2 }: { scale?: number } = {}): Promise<RenderedPlot> {
  const compiled = compile({ ...spec, config: { ...PLOT_CONFIG, ...spec.config } } as TopLevelSpec).spec;
  colourShapeLegends(compiled);
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  const png = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: PLOT_CONFIG.font },
    background: "white",
  })
    .render()
    .asPng();
  return { svg, png };
}
