import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { InvalidOptionError } from "../../core/errors/invalid-option-error.js";
import { CONFIG_FILE } from "../../eval/results-store.js";
import { accuracyTable } from "../../report/accuracy-table.js";
import { parseInteger } from "./parse-flags.js";

interface ReportFlags {
  baseline?: string;
  out?: string;
  seed: string;
  ratios: string;
}

/** `ponder report <dir>`: the HTML page, PNG plots and markdown summary of an eval run. */
export function registerReport(program: Command): void {
  program
    .command("report")
    .summary("write an eval run's HTML report, PNG plots and markdown summary")
    .description(
      [
        "Reads a run directory written by `ponder eval` (or `ponder replay --out`) and writes report.html (self-contained: plots inline, nothing fetched), report.md and plots/*.png beside the results.",
        "Plots: accuracy vs budget per strategy (log₂ axis, 95% bootstrap intervals, and the compute-optimal policy chosen per difficulty bin with two-fold cross-validation); the same per difficulty bin (oracle: quintiles of the policy's pass@1; predicted: quintiles of the mean verifier score; the dataset's levels); accuracy vs FLOPs with the frontier; and, given a larger model's greedy run, the FLOPs-matched comparison for several R = D_inference / D_pretrain.",
        "The larger model's run is <dir>/baseline when `ponder eval --baseline <model>` made it, or any run directory given with --baseline.",
      ].join("\n\n"),
    )
    .argument("<dir>", "run directory")
    .option("--baseline <dir>", "a run of a larger model with --strategies greedy (default <dir>/baseline when present)")
    .option("-o, --out <dir>", "where to write the report (default <dir>)")
    .option("--seed <n>", "seed of the bootstrap resamples and the cross-validation split", "0")
    .option("--ratios <list>", "R values of the FLOPs-matched comparison", "0.1,0.5,1,2,10")
    .addHelpText("after", "\nExamples:\n  ponder report runs/demo\n  ponder report runs/small --baseline runs/large --out /tmp/report")
    .action(async (dir: string, flags: ReportFlags) => {
      if (!existsSync(join(dir, CONFIG_FILE))) throw new InvalidOptionError({ field: "<dir>", value: dir, accepted: "a run directory written by `ponder eval --out` (it holds config.json)" });
      const auto = join(dir, "baseline");
      const baselineDir = flags.baseline ?? (existsSync(join(auto, CONFIG_FILE)) ? auto : undefined);
      if (flags.baseline && !existsSync(join(flags.baseline, CONFIG_FILE))) throw new InvalidOptionError({ field: "--baseline", value: flags.baseline, accepted: "a run directory written by `ponder eval --out`" });
      const seed = parseInteger("--seed", flags.seed, 0);
      const ratios = flags.ratios.split(",").map(Number);
      if (ratios.some((r) => !(r > 0))) throw new InvalidOptionError({ field: "--ratios", value: flags.ratios, accepted: "comma-separated numbers > 0, like 0.1,1,10" });
      // Imported here: the plotting libraries take seconds to load, which other commands should not pay.
      const { writeReport } = await import("../../report/write-report.js");
      const report = await writeReport({ dir, ...(baselineDir ? { baselineDir } : {}), ...(flags.out ? { outDir: flags.out } : {}), seed, ratios });
      process.stdout.write(accuracyTable(report.summary.cells, "text") + "\n\n");
      if (report.summary.flopsMatched) {
        const m = report.summary.flopsMatched;
        process.stdout.write(`FLOPs-matched vs ${m.largeModel} greedy (${(m.largeAccuracy.accuracy * 100).toFixed(1)}%, ${m.parameterRatio.toFixed(2)}× parameters): ` + m.rows.map((r) => `R=${r.r}: ${r.winner}`).join(", ") + "\n");
      } else process.stdout.write(`FLOPs-matched comparison: ${report.summary.flopsMatchedNote}\n`);
      process.stdout.write(`\n${report.html}\n${report.markdown}\n${report.pngs.join("\n")}\n`);
    });
}
