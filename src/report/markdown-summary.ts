import type { EvalConfig } from "../eval/eval-config.js";
import type { Binning, RunSummary } from "../eval/metrics/summarize-run.js";
import { accuracyTable } from "./accuracy-table.js";
import { compact, formatTable, percent } from "./format-table.js";

const BINNING_NAMES: Record<Binning, string> = {
  oracle: "Oracle difficulty (quintiles of the policy's pass@1 over its samples; bin 1 easiest)",
  predicted: "Predicted difficulty (quintiles of the mean verifier score of the samples; no gold answers used; bin 1 easiest)",
  level: "Dataset difficulty level",
};

/** What the run was, for the report's header. */
export interface RunDescription {
  dir: string;
  config: EvalConfig;
  problems: number;
  records: number;
  baselineDir?: string;
}

/** The report as markdown: configuration, accuracy, compute, bins, compute-optimal choice and the FLOPs-matched comparison. */
export function markdownSummary(summary: RunSummary, run: RunDescription, plots: readonly { file: string; title: string }[] = []): string {
  const { config } = run;
  const out: string[] = [];
  out.push(`# ponder eval report: ${run.dir}`, "");
  out.push(
    `Dataset \`${config.dataset}\` (${run.problems} problems), policy \`${config.policy}\`, verifier \`${config.verifier ?? "none"}\`` +
      `${config.reviser ? `, reviser \`${config.reviser}\`` : ""}; strategies ${config.strategies.join(", ")}; budgets ${config.budgets.join(", ")}; ` +
      `seeds ${config.seeds.join(", ")}; temperature ${config.temperature}; ${run.records} records.`,
    "",
  );
  out.push("## Accuracy by strategy and budget", "", "Mean over problems and seeds, with the 95% bootstrap interval over problems.", "", accuracyTable(summary.cells, "markdown"), "");
  out.push("## Compute", "", "Mean per problem and seed, every model counted (policy and verifier). Tokens count each prompt every time it is sent, whether the KV cache served it or not (what the cache saves depends on what ran before, not on the strategy); FLOPs = 2 × parameters × tokens. The records keep the measured usage, cache savings included.", "");
  out.push(
    formatTable(
      ["strategy", "N", "generations", "tokens", "FLOPs"],
      summary.cells.map((c) => [c.strategy, String(c.budget), compact(c.compute.generations), compact(c.compute.tokens), compact(c.compute.flops)]),
      "markdown",
    ),
    "",
  );
  if (summary.frontier.length > 0) {
    out.push("Compute frontier (no other point is more accurate for no more FLOPs): " + summary.frontier.map((f) => `${f.strategy}@${f.budget} (${percent(f.accuracy)}, ${compact(f.compute)} FLOPs)`).join(" → ") + ".", "");
  }
  for (const [binning, assignment] of Object.entries(summary.bins) as [Binning, RunSummary["bins"][Binning]][]) {
    if (!assignment) continue;
    out.push(`## ${BINNING_NAMES[binning]}`, "");
    const cells = summary.byBin.filter((c) => c.binning === binning);
    const budgets = [...new Set(cells.map((c) => c.budget))].sort((a, b) => a - b);
    const keys = [...new Set(cells.map((c) => `${c.bin}\u0000${c.strategy}`))];
    const rows = keys.map((k) => {
      const [bin, strategy] = k.split("\u0000") as [string, string];
      const problems = cells.find((c) => String(c.bin) === bin && c.strategy === strategy)!.accuracy.problems;
      return [bin, strategy, String(problems), ...budgets.map((b) => percent(cells.find((c) => String(c.bin) === bin && c.strategy === strategy && c.budget === b)?.accuracy.accuracy ?? NaN))];
    });
    out.push(formatTable(["bin", "strategy", "problems", ...budgets.map((b) => `N=${b}`)], rows, "markdown"), "");
    const optimal = binning === "level" ? undefined : summary.computeOptimal[binning];
    if (optimal) {
      out.push(
        "Compute-optimal: at each budget each bin uses the strategy best on the other half of the problems (two-fold cross-validation); choices shown are those made on all problems.",
        "",
        formatTable(["N", "accuracy", "choice per bin"], optimal.map((p) => [String(p.budget), percent(p.accuracy), Object.entries(p.choices).map(([bin, s]) => `${bin}: ${s}`).join(", ")]), "markdown"),
        "",
      );
    }
  }
  out.push("## Small model with test-time compute vs a larger model (FLOPs-matched)", "");
  const m = summary.flopsMatched;
  if (!m) out.push(`Not computed: ${summary.flopsMatchedNote}.`, "");
  else {
    out.push(
      `${m.largeModel} (greedy, from ${run.baselineDir ?? "the baseline run"}) has ${m.parameterRatio.toFixed(2)}× the parameters of ${m.smallModel} ` +
        `and ${percent(m.largeAccuracy.accuracy)} [${percent(m.largeAccuracy.low, 0)}–${percent(m.largeAccuracy.high, 0)}] accuracy. ` +
        `One greedy solution of ${m.smallModel} costs ${compact(m.smallGreedyFlops)} FLOPs. At R = D_inference/D_pretrain the small model may spend ` +
        `M + 3(M−1)/R times that; its best (strategy, budget) within the allowance is chosen on the same problems, so the small side is optimistic.`,
      "",
      formatTable(
        ["R", "multiplier", "FLOPs allowed", "small: best within", "small accuracy", "large greedy", "more accurate", "note"],
        m.rows.map((r) => [
          String(r.r), r.multiplier.toFixed(1), compact(r.flopsAllowed), r.small ? `${r.small.strategy}@${r.small.budget}` : "none fits", percent(r.small?.accuracy ?? NaN),
          percent(r.largeAccuracy), r.winner, r.allowanceUnused ? "allowance exceeds the largest budget run" : "",
        ]),
        "markdown",
      ),
      "",
      "Per oracle difficulty bin (winner at each R):",
      "",
      formatTable(["bin", "large greedy", ...m.rows.map((r) => `R=${r.r}`)], m.byBin.map((b) => [String(b.bin), percent(b.largeAccuracy), ...b.rows.map((r) => `${r.winner} (${percent(r.small?.accuracy ?? NaN, 0)})`)]), "markdown"),
      "",
    );
  }
  if (plots.length > 0) out.push("## Plots", "", ...plots.map((p) => `![${p.title}](${p.file})`), "");
  return out.join("\n");
}
