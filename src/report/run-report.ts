import { COMPUTE_AXIS_LABELS } from "../eval/metrics/compute-axes.js";
import { FEW_PROBLEMS, type Binning, type RunSummary } from "../eval/metrics/summarize-run.js";
import { compact, percent } from "./format-table.js";
import { headlineSentence, sampleSizeWarnings, summaryFacts } from "./headline.js";
import type { Block, TableBlock } from "./report-document.js";
import { configurationBlocks, type RunDescription } from "./run-configuration.js";

/** A rendered plot as the report places it. */
export interface ReportFigure {
  id: string;
  /** Path of the PNG relative to the report. */
  png: string;
  title: string;
  caption: string;
  /** Which table, if any, sits beside the plot. */
  beside?: "frontier" | "flops-matched";
}

const BINNING_NAMES: Record<Binning, string> = {
  oracle: "Oracle difficulty (quintiles of the policy's pass@1 over its samples; bin 1 easiest)",
  predicted: "Predicted difficulty (quintiles of the mean verifier score; no gold answers used; bin 1 easiest)",
  level: "The dataset's difficulty levels",
};

/**
 * A run's report, in reading order: what was run and the headline comparison with its numbers,
 * warnings about sample size, the plots, the tables behind them, and the configuration and data
 * fingerprint last.
 */
export function runReportBlocks(summary: RunSummary, run: RunDescription, figures: readonly ReportFigure[], meta: { seed: number; version: string; baseline?: RunDescription }): Block[] {
  const { config } = run;
  const headline = headlineSentence(summary);
  const blocks: Block[] = [
    { kind: "heading", level: 1, text: `ponder eval report: ${run.dir}` },
    {
      kind: "paragraph",
      role: "note",
      text: `\`${config.policy}\` with verifier \`${config.verifier ?? "none"}\`${config.reviser ? ` and reviser \`${config.reviser}\`` : ""} on \`${config.dataset}\`: ${run.problems} problems, seeds ${config.seeds.join(", ")}, strategies ${config.strategies.join(", ")} at N = ${config.budgets.join(", ")}.`,
    },
    {
      kind: "section",
      id: "summary",
      blocks: [
        { kind: "heading", level: 2, text: "Summary" },
        ...(headline ? [{ kind: "paragraph" as const, role: "headline" as const, text: headline }] : []),
        { kind: "list", items: summaryFacts(summary) },
        ...sampleSizeWarnings(summary).map((text) => ({ kind: "warning" as const, text })),
      ],
    },
    { kind: "section", id: "plots", blocks: [{ kind: "heading", level: 2, text: "Plots" }, ...figures.map((f) => figureBlock(f, summary))] },
    { kind: "section", id: "tables", blocks: [{ kind: "heading", level: 2, text: "Tables" }, ...tables(summary, meta.baseline)] },
    { kind: "section", id: "configuration-and-data", blocks: configurationBlocks([{ label: "run", run }, ...(meta.baseline ? [{ label: "larger model (baseline)", run: meta.baseline }] : [])], meta) },
  ];
  return blocks;
}

function figureBlock(f: ReportFigure, summary: RunSummary): Block {
  const beside = f.beside === "frontier" ? frontierTable(summary) : f.beside === "flops-matched" && summary.flopsMatched ? flopsMatchedTable(summary) : undefined;
  return { kind: "figure", id: f.id, png: f.png, title: f.title, caption: f.caption, ...(beside ? { beside } : {}) };
}

function tables(summary: RunSummary, baseline?: RunDescription): Block[] {
  const budgets = [...new Set(summary.cells.map((c) => c.budget))].sort((a, b) => a - b);
  const strategies = [...new Set(summary.cells.map((c) => c.strategy))];
  const out: Block[] = [
    { kind: "heading", level: 3, text: "Accuracy by strategy and budget", id: "accuracy" },
    { kind: "paragraph", text: "Mean over problems (a problem's seeds averaged first), with the 95% bootstrap interval over problems; n is the number of problems." },
    {
      kind: "table",
      header: ["strategy", "n", ...budgets.map((b) => `N = ${b}`)],
      rows: strategies.map((s) => {
        const cells = summary.cells.filter((c) => c.strategy === s);
        return [s, String(Math.max(...cells.map((c) => c.accuracy.problems))), ...budgets.map((b) => cellText(cells.find((c) => c.budget === b)))];
      }),
      flagged: strategies.flatMap((s, i) => (summary.cells.some((c) => c.strategy === s && c.accuracy.problems < FEW_PROBLEMS) ? [i] : [])),
    },
    { kind: "heading", level: 3, text: "Compute per problem", id: "compute" },
    {
      kind: "paragraph",
      text:
        `Mean per problem and seed, every model counted (policy and verifier) at its own size; FLOPs = 2 × parameters × tokens. **${COMPUTE_AXIS_LABELS.generations.name}**: ${COMPUTE_AXIS_LABELS.generations.counts}. ` +
        `**processed**: ${COMPUTE_AXIS_LABELS.processedFlops.counts}, counted against the prefixes the same request processed before, so it does not depend on scheduling. **as sent**: ${COMPUTE_AXIS_LABELS.flops.counts}.`,
    },
    {
      kind: "table",
      header: ["strategy", "N", "generations", "processed tokens", "processed FLOPs", "as-sent tokens", "as-sent FLOPs"],
      rows: summary.cells.map((c) => [c.strategy, String(c.budget), compact(c.compute.generations), compact(c.compute.processedTokens), compact(c.compute.processedFlops), compact(c.compute.tokens), compact(c.compute.flops)]),
    },
  ];
  for (const [binning, assignment] of Object.entries(summary.bins) as [Binning, RunSummary["bins"][Binning]][]) {
    if (!assignment) continue;
    const cells = summary.byBin.filter((c) => c.binning === binning);
    const keys = [...new Set(cells.map((c) => `${c.bin}\u0000${c.strategy}`))];
    const rows = keys.map((k) => {
      const [bin, strategy] = k.split("\u0000") as [string, string];
      const own = cells.filter((c) => String(c.bin) === bin && c.strategy === strategy);
      // Accuracy alone: the plot above shows each cell's interval, and ⚠ says when n is too small for one.
      return { few: own.some((c) => c.accuracy.problems < FEW_PROBLEMS), row: [bin, strategy, String(Math.max(...own.map((c) => c.accuracy.problems))), ...budgets.map((b) => percent(own.find((c) => c.budget === b)?.accuracy.accuracy ?? NaN))] };
    });
    out.push(
      { kind: "heading", level: 3, text: BINNING_NAMES[binning], id: `bins-${binning}` },
      { kind: "table", header: ["bin", "strategy", "n", ...budgets.map((b) => `N = ${b}`)], rows: rows.map((r) => r.row), flagged: rows.flatMap((r, i) => (r.few ? [i] : [])) },
    );
    const optimal = binning === "level" ? undefined : summary.computeOptimal[binning];
    if (optimal) {
      out.push(
        { kind: "paragraph", text: "Compute-optimal: at each budget each bin uses the strategy best on the other half of the problems (two-fold cross-validation); the choices listed are those made on all problems." },
        { kind: "table", header: ["N", "accuracy", "choice per bin"], rows: optimal.map((p) => [String(p.budget), percent(p.accuracy), Object.entries(p.choices).map(([bin, s]) => `${bin}: ${s}`).join(", ")]) },
      );
    }
  }
  out.push({ kind: "heading", level: 3, text: "Small model with test-time compute vs a larger model, FLOPs-matched", id: "flops-matched" });
  const m = summary.flopsMatched;
  if (!m) out.push({ kind: "paragraph", text: `Not computed: ${summary.flopsMatchedNote}.` });
  else {
    out.push(
      {
        kind: "paragraph",
        text:
          `${m.largeModel} (greedy${baseline ? `, from \`${baseline.dir}\`` : ""}) has ${m.parameterRatio.toFixed(2)}× the parameters of ${m.smallModel} and ${percent(m.largeAccuracy.accuracy)} [${percent(m.largeAccuracy.low, 0)}–${percent(m.largeAccuracy.high, 0)}] accuracy. ` +
          `One greedy solution of ${m.smallModel} costs ${compact(m.smallGreedyFlops)} processed FLOPs. At R = D_inference / D_pretrain the small model may spend M + 3(M−1)/R times that; ` +
          "its best (strategy, budget) within the allowance is chosen on the same problems, so the small side is optimistic.",
      },
      flopsMatchedTable(summary),
      {
        kind: "table",
        header: ["oracle bin", "large greedy", ...m.rows.map((r) => `R = ${r.r}`)],
        rows: m.byBin.map((b) => [String(b.bin), percent(b.largeAccuracy), ...b.rows.map((r) => `${r.winner} (${percent(r.small?.accuracy ?? NaN, 0)})${r.allowanceUnused ? "*" : ""}`)]),
      },
      { kind: "paragraph", text: "* the allowance exceeds the largest budget run: more test-time compute could have been bought than was measured." },
    );
  }
  return out;
}

function cellText(c: { accuracy: { accuracy: number; low: number; high: number } } | undefined): string {
  return c ? `${percent(c.accuracy.accuracy)} [${percent(c.accuracy.low, 0)}–${percent(c.accuracy.high, 0)}]` : "";
}

/** The points of the processed-FLOPs frontier (or generations, when no FLOPs were recorded), in order. */
function frontierTable(summary: RunSummary): TableBlock {
  const axis = summary.axes.includes("processedFlops") ? "processedFlops" : "generations";
  return {
    kind: "table",
    header: ["frontier", COMPUTE_AXIS_LABELS[axis].name, "accuracy"],
    rows: summary.frontiers[axis].map((f) => [`${f.strategy} N=${f.budget}`, compact(f.compute), percent(f.accuracy)]),
  };
}

function flopsMatchedTable(summary: RunSummary): TableBlock {
  const m = summary.flopsMatched!;
  return {
    kind: "table",
    header: ["R", "× greedy", "FLOPs allowed", "small: best within", "small", "large", "winner"],
    rows: m.rows.map((r) => [
      String(r.r),
      r.multiplier.toFixed(1),
      compact(r.flopsAllowed) + (r.allowanceUnused ? "*" : ""),
      r.small ? `${r.small.strategy} N=${r.small.budget}` : "none fits",
      percent(r.small?.accuracy ?? NaN),
      percent(r.largeAccuracy),
      r.winner,
    ]),
  };
}
