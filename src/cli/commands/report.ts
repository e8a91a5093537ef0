import { dirname, join } from "node:path";
import type { Command } from "commander";
import { InvalidOptionError } from "../../core/errors/invalid-option-error.js";
import { isRunDir } from "../../eval/results-store.js";
import { accuracyTable } from "../../report/accuracy-table.js";
import { formatTable } from "../../report/format-table.js";
import { parseInteger } from "./parse-flags.js";

interface ReportFlags {
  baseline?: string;
  compare?: boolean;
  out?: string;
  seed: string;
  ratios: string;
  json?: boolean;
}

/** `ponder report <dir>` and `ponder report --compare <a> <b>`: HTML page, PNG plots and markdown. */
export function registerReport(program: Command): void {
  program
    .command("report")
    .summary("write an eval run's HTML report, PNG plots and markdown summary (or compare two runs)")
    .description(
      [
        "Reads a run directory written by `ponder eval` (or `ponder replay --out`) and writes report.html (self-contained: plots inline as SVG, no scripts, nothing fetched), report.md and plots/*.png beside the results.",
        "The page opens with the headline comparison in one sentence (the most accurate strategy at the largest budget against majority voting, with the paired 95% interval of the difference), warns where a cell rests on too few problems, then shows the plots, the tables behind them, and the run's configuration and data fingerprint.",
        "Plots: accuracy vs budget per strategy (log₂ axis, 95% bootstrap intervals, the compute-optimal policy dashed); accuracy vs compute on three axes (generations; processed FLOPs, where a prompt token the same request already sent is a cache hit; as-sent FLOPs); the same per difficulty bin (oracle, predicted, the dataset's levels); and, given a larger model's greedy run, the FLOPs-matched comparison for several R = D_inference / D_pretrain.",
        "--compare <a> <b> puts two runs side by side (two models, or the embedded engine and a server) with the difference b − a per strategy and budget, paired over the problems both answered.",
      ].join("\n\n"),
    )
    .argument("<dirs...>", "a run directory, or two with --compare")
    .option("--compare", "compare two runs: ponder report --compare <a> <b>")
    .option("--baseline <dir>", "a run of a larger model with --strategies greedy (default <dir>/baseline when present)")
    .option("-o, --out <dir>", "where to write the report (default <dir>; with --compare, <a's parent>/compare-<a>-vs-<b>)")
    .option("--seed <n>", "seed of the bootstrap resamples and the cross-validation split", "0")
    .option("--ratios <list>", "R values of the FLOPs-matched comparison", "0.1,0.5,1,2,10")
    .option("--json", "print one JSON object: the files written and every figure of the summary (or comparison)")
    .addHelpText("after", "\nExamples:\n  ponder report runs/demo\n  ponder report runs/small --baseline runs/large --out /tmp/report\n  ponder report --compare runs/embedded runs/server --json")
    .action(async (dirs: string[], flags: ReportFlags) => {
      for (const dir of dirs) if (!isRunDir(dir)) throw new InvalidOptionError({ field: "<dirs>", value: dir, accepted: "a run directory written by `ponder eval --out` (it holds config.json, or the shard-k-of-n directories of `--shard`, read as one run)" });
      const seed = parseInteger("--seed", flags.seed, 0);
      if (flags.compare) {
        if (dirs.length !== 2) throw new InvalidOptionError({ field: "--compare", value: dirs.join(" "), accepted: "exactly two run directories: ponder report --compare <a> <b>" });
        if (flags.baseline) throw new InvalidOptionError({ field: "--baseline", value: flags.baseline, accepted: "no --baseline with --compare (report each run on its own for the FLOPs-matched comparison)" });
        await compare(dirs as [string, string], flags, seed);
        return;
      }
      if (dirs.length !== 1) throw new InvalidOptionError({ field: "<dirs>", value: dirs.join(" "), accepted: "one run directory, or --compare with two" });
      const dir = dirs[0]!;
      const auto = join(dir, "baseline");
      const baselineDir = flags.baseline ?? (isRunDir(auto) ? auto : undefined);
      if (flags.baseline && !isRunDir(flags.baseline)) throw new InvalidOptionError({ field: "--baseline", value: flags.baseline, accepted: "a run directory written by `ponder eval --out`" });
      const ratios = flags.ratios.split(",").map(Number);
      if (ratios.some((r) => !(r > 0))) throw new InvalidOptionError({ field: "--ratios", value: flags.ratios, accepted: "comma-separated numbers > 0, like 0.1,1,10" });
      // Imported here: the plotting libraries take seconds to load, which other commands should not pay.
      const { writeReport } = await import("../../report/write-report.js");
      const { headlineSentence } = await import("../../report/headline.js");
      const report = await writeReport({ dir, ...(baselineDir ? { baselineDir } : {}), ...(flags.out ? { outDir: flags.out } : {}), seed, ratios });
      if (flags.json) {
        process.stdout.write(JSON.stringify({ files: { html: report.html, markdown: report.markdown, pngs: report.pngs }, headline: headlineSentence(report.summary), summary: report.summary }) + "\n");
        return;
      }
      const headline = headlineSentence(report.summary);
      if (headline) process.stdout.write(`${headline}\n\n`);
      process.stdout.write(accuracyTable(report.summary.cells, "text") + "\n\n");
      if (report.summary.flopsMatched) {
        const m = report.summary.flopsMatched;
        process.stdout.write(`FLOPs-matched vs ${m.largeModel} greedy (${(m.largeAccuracy.accuracy * 100).toFixed(1)}%, ${m.parameterRatio.toFixed(2)}× parameters): ` + m.rows.map((r) => `R=${r.r}: ${r.winner}`).join(", ") + "\n");
      } else process.stdout.write(`FLOPs-matched comparison: ${report.summary.flopsMatchedNote}\n`);
      process.stdout.write(`\n${report.html}\n${report.markdown}\n${report.pngs.join("\n")}\n`);
    });
}

async function compare(dirs: [string, string], flags: ReportFlags, seed: number): Promise<void> {
  const { writeComparison, runLabels } = await import("../../report/write-comparison.js");
  const { comparisonHeadline } = await import("../../report/compare-report.js");
  const { accuracyWithInterval, pointsWithInterval } = await import("../../report/headline.js");
  const labels = runLabels(dirs);
  const outDir = flags.out ?? join(dirname(dirs[0]), `compare-${labels[0]}-vs-${labels[1]}`.replace(/[^\w.-]+/g, "_"));
  const written = await writeComparison({ dirs, outDir, seed });
  const headline = comparisonHeadline(written.comparison, written.labels);
  if (flags.json) {
    process.stdout.write(JSON.stringify({ files: { html: written.html, markdown: written.markdown, pngs: written.pngs }, labels: written.labels, headline, comparison: written.comparison }) + "\n");
    return;
  }
  if (headline) process.stdout.write(`${headline}\n\n`);
  process.stdout.write(
    formatTable(
      ["strategy", "N", written.labels[0], written.labels[1], `${written.labels[1]} − ${written.labels[0]} (points, 95% interval)`],
      written.comparison.cells.map((c) => [c.strategy, String(c.budget), c.a ? accuracyWithInterval(c.a) : "–", c.b ? accuracyWithInterval(c.b) : "–", c.difference ? pointsWithInterval(c.difference, { brief: true }) : "not in both runs"]),
      "text",
    ) + `\n\n${written.html}\n${written.markdown}\n${written.pngs.join("\n")}\n`,
  );
}
