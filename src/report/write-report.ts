import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TopLevelSpec } from "vega-lite";
import { summarizeRun, type RunSummary } from "../eval/metrics/summarize-run.js";
import { ResultsStore } from "../eval/results-store.js";
import { accuracyByBinSpec } from "./plots/accuracy-by-bin.js";
import { accuracyVsBudgetSpec } from "./plots/accuracy-vs-budget.js";
import { computeFrontierSpec } from "./plots/compute-frontier.js";
import { flopsMatchedByBinSpec, flopsMatchedSpec } from "./plots/flops-matched.js";
import { renderPlot } from "./render-plot.js";
import { blocksToHtml, blocksToMarkdown, escapeHtml, type Block } from "./report-document.js";
import { reportPage } from "./report-page.js";
import { describeRun } from "./run-configuration.js";
import { runReportBlocks, type ReportFigure } from "./run-report.js";

export interface ReportOptions {
  /** The run directory `ponder eval --out` wrote. */
  dir: string;
  /** A run of a larger model answering greedily, for the FLOPs-matched comparison. */
  baselineDir?: string;
  /** Where to write the report (default `dir`). */
  outDir?: string;
  /** Seed of the bootstrap resamples and the cross-validation split (default 0). */
  seed?: number;
  /** R values of the FLOPs-matched comparison. */
  ratios?: readonly number[];
}

export interface WrittenReport {
  html: string;
  markdown: string;
  pngs: string[];
  summary: RunSummary;
}

/** A plot to render and place in a report. */
export interface PlannedFigure extends ReportFigure {
  spec: TopLevelSpec;
}

/**
 * Writes a run's report: `report.html` (self-contained: plots inline as SVG, no scripts, nothing
 * fetched), `report.md`, and the same plots as PNG files under `plots/` for slides and papers.
 * @example await writeReport({ dir: "runs/demo", baselineDir: "runs/demo/baseline" })
 */
export async function writeReport({ dir, baselineDir, outDir = dir, seed = 0, ratios }: ReportOptions): Promise<WrittenReport> {
  const run = ResultsStore.read(dir);
  const base = baselineDir ? ResultsStore.read(baselineDir) : undefined;
  const summary = summarizeRun(run.records, { seed, ...(base ? { baseline: base.records } : {}), ...(ratios ? { ratios } : {}) });
  const figures = planFigures(summary, `${run.config.policy} on ${basename(run.config.dataset)}`);
  const blocks = runReportBlocks(summary, describeRun(dir, run.config, run.records), figures, {
    seed,
    version: ponderVersion(),
    ...(base && baselineDir ? { baseline: describeRun(baselineDir, base.config, base.records) } : {}),
  });
  const written = await writeDocument(outDir, `ponder eval report: ${dir}`, blocks, figures);
  return { ...written, summary };
}

/** Renders the figures to PNG under `<outDir>/plots` and writes report.md and report.html. */
export async function writeDocument(outDir: string, title: string, blocks: readonly Block[], figures: readonly PlannedFigure[]): Promise<Omit<WrittenReport, "summary">> {
  mkdirSync(join(outDir, "plots"), { recursive: true });
  const svgs = new Map<string, string>();
  const pngs: string[] = [];
  for (const f of figures) {
    const { svg, png } = await renderPlot(f.spec);
    const path = join(outDir, f.png);
    writeFileSync(path, png);
    pngs.push(path);
    svgs.set(f.png, svg);
  }
  const markdown = join(outDir, "report.md");
  writeFileSync(markdown, blocksToMarkdown(blocks));
  const html = join(outDir, "report.html");
  writeFileSync(html, reportPage(title, blocksToHtml(blocks, (png) => svgs.get(png) ?? `<p class="warning">missing plot ${escapeHtml(png)}</p>`)));
  return { html, markdown, pngs };
}

/** The run report's plots, in the order they are shown. */
function planFigures(summary: RunSummary, name: string): PlannedFigure[] {
  const figures: PlannedFigure[] = [];
  const add = (id: string, title: string, caption: string, spec: TopLevelSpec, beside?: ReportFigure["beside"]) =>
    figures.push({ id, png: `plots/${id}.png`, title, caption, spec, ...(beside ? { beside } : {}) });
  add(
    "accuracy-vs-budget",
    `Accuracy vs budget: ${name}`,
    "Accuracy against the generation budget N (log₂ axis) per strategy, with 95% bootstrap intervals; strategies are offset slightly along x so intervals never overlap.",
    accuracyVsBudgetSpec(summary, `Accuracy vs budget: ${name}`),
  );
  add(
    "compute-frontier",
    "Accuracy vs compute on three axes",
    "The same cells against mean compute per problem: generations, processed FLOPs (prefix-cache hits excluded) and as-sent FLOPs. The table lists the frontier on " +
      (summary.axes.includes("processedFlops") ? "processed FLOPs." : "generations."),
    computeFrontierSpec(summary, "Accuracy vs compute on three axes"),
    "frontier",
  );
  for (const binning of ["oracle", "predicted", "level"] as const) {
    if (!summary.bins[binning]) continue;
    const title = `Accuracy vs budget by ${binning === "level" ? "the dataset's level" : `${binning} difficulty`}`;
    add(`accuracy-by-${binning}-bin`, title, "One panel per bin, each headed by the problems it holds (⚠ under 30: too few to trust).", accuracyByBinSpec(summary, binning, title));
  }
  const m = summary.flopsMatched;
  if (m) {
    const title = `${m.smallModel} + test-time compute vs ${m.largeModel} greedy, FLOPs-matched`;
    add("flops-matched", title, "Processed FLOPs per problem; each dotted rule is what the smaller model may spend at one R, the shaded region lies beyond the largest budget run.", flopsMatchedSpec(m, summary.cells, title), "flops-matched");
    const sizes = new Map<number, number>();
    for (const b of summary.bins.oracle ?? []) sizes.set(b.bin, (sizes.get(b.bin) ?? 0) + 1);
    add("flops-matched-by-bin", `${title}, per difficulty bin`, "Small minus large accuracy in points per oracle bin and R.", flopsMatchedByBinSpec(m, sizes, `${title}, per difficulty bin`));
  }
  return figures;
}

/** ponder's version, from its package.json. */
export function ponderVersion(): string {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
  return (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;
}
