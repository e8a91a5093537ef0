import type { RunComparison } from "../eval/metrics/compare-runs.js";
import { FEW_PROBLEMS } from "../eval/metrics/summarize-run.js";
import { compact, percent } from "./format-table.js";
import { accuracyWithInterval, pointsWithInterval } from "./headline.js";
import type { Block } from "./report-document.js";
import { configurationBlocks, type RunDescription } from "./run-configuration.js";
import type { ReportFigure } from "./run-report.js";

/** The first sentence of a comparison: at the largest budget both runs hold, each shared strategy's difference. */
export function comparisonHeadline(c: RunComparison, labels: readonly [string, string]): string | null {
  const h = c.headline;
  if (!h) return null;
  const paired = h.cells.every((x) => x.difference!.paired);
  const resolved = h.cells.filter((x) => x.difference!.low > 0 || x.difference!.high < 0).map((x) => x.strategy);
  return (
    `At N = ${h.budget}${paired ? ` on the ${Math.max(...h.cells.map((x) => x.difference!.problems))} problems both runs answered` : " (the runs share no problems)"}, ${labels[1]} minus ${labels[0]} in points ` +
    `(${paired ? "paired " : ""}95% interval): ` +
    h.cells.map((x) => `${x.strategy} ${pointsWithInterval(x.difference!, { brief: true })} (${percent(x.b!.accuracy.accuracy)} vs ${percent(x.a!.accuracy.accuracy)})`).join("; ") +
    `; ${resolved.length === 0 ? "no interval excludes 0" : `the interval excludes 0 for ${resolved.join(", ")}`}.`
  );
}

/** Two runs side by side: headline, plots, the table of every cell with its paired difference, both configurations. */
export function compareReportBlocks(c: RunComparison, runs: readonly [RunDescription, RunDescription], labels: readonly [string, string], figures: readonly ReportFigure[], meta: { seed: number; version: string }): Block[] {
  const headline = comparisonHeadline(c, labels);
  const warnings: string[] = [];
  if (c.problems.shared === 0) warnings.push("The runs share no problems: each difference compares different questions, so it mixes the runs' difference with the problems' and its interval is wide.");
  else if (c.problems.shared < Math.max(c.problems.a, c.problems.b)) warnings.push(`Only ${c.problems.shared} problems are in both runs (${labels[0]}: ${c.problems.a}, ${labels[1]}: ${c.problems.b}); differences are paired over those.`);
  if (c.problems.shared > 0 && c.problems.shared < FEW_PROBLEMS) warnings.push(`${c.problems.shared} shared problems are too few to resolve most differences.`);
  const onlyOne = c.cells.filter((x) => x.difference === null);
  if (onlyOne.length > 0) warnings.push(`Not in both runs, so not compared: ${onlyOne.map((x) => `${x.strategy} N=${x.budget} (${x.a ? labels[0] : labels[1]} only)`).join(", ")}.`);
  const flops = c.a.axes.includes("processedFlops") && c.b.axes.includes("processedFlops");
  return [
    { kind: "heading", level: 1, text: `ponder comparison: ${labels[1]} vs ${labels[0]}` },
    { kind: "paragraph", role: "note", text: runs.map((r, i) => `${labels[i]}: \`${r.config.policy}\` with verifier \`${r.config.verifier ?? "none"}\` on \`${r.config.dataset}\` (${r.problems} problems)`).join("; ") + "." },
    {
      kind: "section",
      id: "summary",
      blocks: [{ kind: "heading", level: 2, text: "Summary" }, ...(headline ? [{ kind: "paragraph" as const, role: "headline" as const, text: headline }] : []), ...warnings.map((text) => ({ kind: "warning" as const, text }))],
    },
    {
      kind: "section",
      id: "plots",
      blocks: [{ kind: "heading", level: 2, text: "Plots" }, ...figures.map((f) => ({ kind: "figure" as const, id: f.id, png: f.png, title: f.title, caption: f.caption }))],
    },
    {
      kind: "section",
      id: "tables",
      blocks: [
        { kind: "heading", level: 2, text: "Tables" },
        { kind: "paragraph", text: `Accuracy with 95% bootstrap intervals; the difference is ${labels[1]} − ${labels[0]} in points, paired over the problems both answered (n).` },
        {
          kind: "table",
          header: ["strategy", "N", labels[0], labels[1], "difference", "n", ...(flops ? [`processed FLOPs ${labels[0]}`, `processed FLOPs ${labels[1]}`] : [])],
          rows: c.cells.map((x) => [
            x.strategy,
            String(x.budget),
            x.a ? accuracyWithInterval(x.a) : "–",
            x.b ? accuracyWithInterval(x.b) : "–",
            x.difference ? pointsWithInterval(x.difference, { brief: true }) : "not in both runs",
            x.difference ? String(x.difference.problems) : "",
            ...(flops ? [compact(x.a?.compute.processedFlops ?? NaN), compact(x.b?.compute.processedFlops ?? NaN)] : []),
          ]),
          flagged: c.cells.flatMap((x, i) => (x.difference && x.difference.problems < FEW_PROBLEMS ? [i] : [])),
        },
        { kind: "paragraph", text: `Mean accuracy over all cells: ${labels[0]} ${percent(mean(c.a.cells.map((x) => x.accuracy.accuracy)))}, ${labels[1]} ${percent(mean(c.b.cells.map((x) => x.accuracy.accuracy)))}.` },
      ],
    },
    { kind: "section", id: "configuration-and-data", blocks: configurationBlocks(runs.map((run, i) => ({ label: labels[i]!, run })), meta) },
  ];
}

function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}
