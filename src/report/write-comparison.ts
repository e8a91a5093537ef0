import { basename, resolve } from "node:path";
import { compareRuns, type RunComparison } from "../eval/metrics/compare-runs.js";
import { ResultsStore } from "../eval/results-store.js";
import { compareReportBlocks } from "./compare-report.js";
import { compareAccuracySpec, compareDifferenceSpec } from "./plots/compare-runs.js";
import { describeRun } from "./run-configuration.js";
import { ponderVersion, writeDocument, type PlannedFigure } from "./write-report.js";

export interface ComparisonOptions {
  /** The two run directories, the reference first. */
  dirs: readonly [string, string];
  /** Where to write report.html, report.md and plots/. */
  outDir: string;
  seed?: number;
}

export interface WrittenComparison {
  html: string;
  markdown: string;
  pngs: string[];
  comparison: RunComparison;
  labels: [string, string];
}

/**
 * Writes a report comparing two runs (two models, or the embedded engine and a server): both
 * runs' accuracy side by side, and the difference per strategy and budget with paired intervals
 * where the problems match.
 * @example await writeComparison({ dirs: ["runs/embedded", "runs/server"], outDir: "runs/compare" })
 */
export async function writeComparison({ dirs, outDir, seed = 0 }: ComparisonOptions): Promise<WrittenComparison> {
  const [a, b] = dirs.map((d) => ResultsStore.read(d)) as [ReturnType<typeof ResultsStore.read>, ReturnType<typeof ResultsStore.read>];
  const comparison = compareRuns(a.records, b.records, { seed });
  const labels = runLabels(dirs);
  const title = `${labels[1]} vs ${labels[0]}`;
  const figures: PlannedFigure[] = [
    {
      id: "compare-difference",
      png: "plots/compare-difference.png",
      title: `Accuracy difference: ${title}`,
      caption: `${labels[1]} minus ${labels[0]} per strategy and budget, with paired 95% bootstrap intervals; above the line ${labels[1]} is more accurate.`,
      spec: compareDifferenceSpec(comparison, labels, `Accuracy difference: ${title}`),
    },
    {
      id: "compare-accuracy",
      png: "plots/compare-accuracy.png",
      title: `Accuracy vs budget: ${title}`,
      caption: "Each run's accuracy against the budget N (log₂ axis) with 95% bootstrap intervals, on one accuracy axis.",
      spec: compareAccuracySpec(comparison, labels, `Accuracy vs budget: ${title}`),
    },
  ];
  const blocks = compareReportBlocks(comparison, [describeRun(dirs[0], a.config, a.records), describeRun(dirs[1], b.config, b.records)], labels, figures, { seed, version: ponderVersion() });
  const written = await writeDocument(outDir, `ponder comparison: ${title}`, blocks, figures);
  return { ...written, comparison, labels };
}

/** Short names for two runs: their directory names, or their paths when those are equal. */
export function runLabels(dirs: readonly [string, string]): [string, string] {
  const names = dirs.map((d) => basename(resolve(d))) as [string, string];
  return names[0] === names[1] ? [dirs[0], dirs[1]] : names;
}
