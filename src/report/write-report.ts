import { mkdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { summarizeRun, type RunSummary } from "../eval/metrics/summarize-run.js";
import { ResultsStore } from "../eval/results-store.js";
import { markdownSummary } from "./markdown-summary.js";
import { escapeHtml, markdownToHtml } from "./markdown-to-html.js";
import { accuracyByBinSpec } from "./plots/accuracy-by-bin.js";
import { accuracyVsBudgetSpec } from "./plots/accuracy-vs-budget.js";
import { computeFrontierSpec } from "./plots/compute-frontier.js";
import { flopsMatchedSpec } from "./plots/flops-matched.js";
import { renderPlot } from "./render-plot.js";

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

/**
 * Writes a run's report: `report.html` (self-contained: plots inline as SVG, no network),
 * `report.md` and one PNG per plot under `plots/`.
 * @example await writeReport({ dir: "runs/demo", baselineDir: "runs/large" })
 */
export async function writeReport({ dir, baselineDir, outDir = dir, seed = 0, ratios }: ReportOptions): Promise<WrittenReport> {
  const run = ResultsStore.read(dir);
  const baseline = baselineDir ? ResultsStore.read(baselineDir).records : undefined;
  const summary = summarizeRun(run.records, { seed, ...(baseline ? { baseline } : {}), ...(ratios ? { ratios } : {}) });
  const name = `${run.config.policy} on ${basename(run.config.dataset)}`;
  const specs: { file: string; title: string; spec: TopLevelSpec }[] = [
    { file: "accuracy-vs-budget.png", title: `Accuracy vs budget: ${name}`, spec: accuracyVsBudgetSpec(summary, `Accuracy vs budget: ${name}`) },
  ];
  for (const binning of ["oracle", "predicted", "level"] as const) {
    if (summary.bins[binning]) specs.push({ file: `accuracy-by-${binning}-bin.png`, title: `Accuracy vs budget by ${binning} difficulty`, spec: accuracyByBinSpec(summary, binning, `Accuracy vs budget by ${binning} difficulty`) });
  }
  specs.push({ file: "compute-frontier.png", title: "Accuracy vs compute: the frontier", spec: computeFrontierSpec(summary, "Accuracy vs compute: the frontier") });
  if (summary.flopsMatched) {
    const title = `${summary.flopsMatched.smallModel} + test-time compute vs ${summary.flopsMatched.largeModel} greedy, FLOPs-matched`;
    specs.push({ file: "flops-matched.png", title, spec: flopsMatchedSpec(summary.flopsMatched, title) });
  }

  const plotsDir = join(outDir, "plots");
  mkdirSync(plotsDir, { recursive: true });
  const svgs = new Map<string, string>();
  const pngs: string[] = [];
  for (const { file, spec } of specs) {
    const { svg, png } = await renderPlot(spec);
    const path = join(plotsDir, file);
    writeFileSync(path, png);
    pngs.push(path);
    svgs.set(file, svg);
  }
  const description = { dir, config: run.config, problems: new Set(run.records.map((r) => r.problemId)).size, records: run.records.length, ...(baselineDir ? { baselineDir } : {}) };
  const markdown = markdownSummary(summary, description, specs.map((s) => ({ file: `plots/${s.file}`, title: s.title })));
  const mdPath = join(outDir, "report.md");
  writeFileSync(mdPath, markdown);
  const body = markdownToHtml(markdown, (file) => svgs.get(file.replace(/^plots\//, "")) ?? `<p>missing plot ${escapeHtml(file)}</p>`);
  const htmlPath = join(outDir, "report.html");
  writeFileSync(htmlPath, page(`ponder eval report: ${dir}`, body));
  return { html: htmlPath, markdown: mdPath, pngs, summary };
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body { font: 15px/1.5 system-ui, "DejaVu Sans", sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 13px; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
th { background: #f4f4f4; }
figure { margin: 1.5em 0; } figure svg { max-width: 100%; height: auto; }
figcaption { color: #666; font-size: 13px; }
code { background: #f4f4f4; padding: 0 3px; }
</style></head>
<body>
${body}
</body></html>
`;
}
