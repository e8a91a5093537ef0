import type { Command } from "commander";
import { buildCalibrationTable } from "../../compute-optimal/calibration-table.js";
import { choosePolicy, toPolicy } from "../../compute-optimal/choose-policy.js";
import { savePolicy } from "../../compute-optimal/policy.js";
import { InvalidOptionError } from "../../core/errors/invalid-option-error.js";
import { plannedRecords } from "../../eval/planned-records.js";
import { isRunDir, ResultsStore } from "../../eval/results-store.js";
import { versusBestOfN, type VersusBestOfN } from "../../compute-optimal/versus-best-of-n.js";
import { compact, formatTable, percent } from "../../report/format-table.js";
import { parseInteger } from "./parse-flags.js";

interface CalibrateFlags {
  out: string;
  probe: string;
  bins: string;
  folds: string;
  seed: string;
  compute: string;
  allowIncomplete?: boolean;
  json?: boolean;
}

/** `--compute` values and the axes they name. */
const COMPUTE_AXES = { generations: "generations", "processed-flops": "processedFlops" } as const;

/** Below this share of its planned records a run counts as unfinished (a few failed problems are not). */
const COMPLETE_ENOUGH = 0.9;

/** `ponder calibrate <run>`: choose the compute-optimal strategy per (predicted difficulty bin, budget) from a stored eval run. */
export function registerCalibrate(program: Command): void {
  program
    .command("calibrate")
    .summary("choose the compute-optimal strategy per difficulty bin and budget from an eval run")
    .description(
      [
        "Reads runs of `ponder eval` on calibration problems (never the ones you will test on) and writes a versioned policy JSON for `--strategy auto`. Several runs on the same problems are pooled, so one run per hyperparameter value sweeps it: revisions at --chain-length 2, 4 and 8 (the sequential/parallel ratio), beam search at several --beam-width.",
        "Difficulty is predicted without ground truth: the mean verifier score of the first --probe solutions, which `auto` samples first and counts inside the budget. The run must therefore hold weighted-best-of-n at a budget of at least --probe; the more strategies and budgets it holds, the more calibration can choose from.",
        "Per (bin, total budget) the configuration with the best accuracy among those that spend at most the budget is chosen: sampling strategies reuse the probe as their first samples and may stop early once the weighted vote is decided; searches run on what the probe leaves and add the probe's solutions to their final vote, and DVTS may stop growing subtrees once that vote is decided (replayed on each recorded dvts run). Accuracy is validated by --folds-fold cross-validation (choose on the other folds, score the held-out one).",
      ].join("\n\n"),
    )
    .argument("<runs...>", "run directories written by `ponder eval --out`, on the same problems (a directory of --shard runs is merged)")
    .requiredOption("-o, --out <file>", "where to write the policy JSON")
    .option("--probe <n>", "solutions sampled and scored to predict a question's difficulty", "4")
    .option("--bins <n>", "difficulty bins (quantiles of the predicted score)", "5")
    .option("--folds <n>", "folds of cross-validation", "2")
    .option("--seed <n>", "seed of the cross-validation split", "0")
    .option("--compute <axis>", "compute the comparison with weighted best-of-N counts, and ties are broken by: generations (as published) or processed-flops (prompt tokens the request already sent count as cache hits)", "generations")
    .option("--allow-incomplete", `calibrate on runs holding under ${COMPLETE_ENOUGH * 100}% of the records their eval planned (unfinished runs are refused)`)
    .option("--json", "print the choices and cross-validated accuracy as JSON (one object) instead of tables")
    .addHelpText(
      "after",
      "\nExample (calibrate on problems 1000+, apply to the held-out ones below):\n" +
        "  ponder eval --problem-seed 500 --limit 200 --strategies majority,weighted-best-of-n,beam-search,revisions --budgets 4,8,16,32,64 --out runs/calibration\n" +
        "  ponder eval --problem-seed 500 --limit 200 --strategies revisions --chain-length 8 --budgets 8,16,32,64 --out runs/calibration-s8\n" +
        "  ponder calibrate runs/calibration runs/calibration-s8 --out policy.json\n" +
        "  ponder eval --strategies auto,weighted-best-of-n --compute-policy policy.json --budgets 8,16,32,64 --out runs/auto",
    )
    .action(async (runs: string[], flags: CalibrateFlags) => {
      for (const run of runs) {
        if (!isRunDir(run)) throw new InvalidOptionError({ field: "<runs>", value: run, accepted: "a run directory written by `ponder eval --out` (it holds config.json, or the shard-k-of-n directories of `--shard`)" });
      }
      const probeSamples = parseInteger("--probe", flags.probe, 1);
      const bins = parseInteger("--bins", flags.bins, 1);
      const folds = parseInteger("--folds", flags.folds, 2);
      const seed = parseInteger("--seed", flags.seed, 0);
      const axis = COMPUTE_AXES[flags.compute as keyof typeof COMPUTE_AXES];
      if (!axis) throw new InvalidOptionError({ field: "--compute", value: flags.compute, accepted: Object.keys(COMPUTE_AXES).join(", ") });
      const stored = runs.map((run) => ResultsStore.read(run));
      for (const [i, { config, records }] of stored.entries()) {
        const planned = plannedRecords(config);
        if (planned !== undefined && records.length < COMPLETE_ENOUGH * planned && !flags.allowIncomplete) {
          throw new InvalidOptionError({
            field: "<runs>",
            value: runs[i],
            accepted: `a finished run: it holds ${records.length} of the ${planned} records its eval planned (${percent(records.length / planned, 0)}); finish it by running the same \`ponder eval\` command again, or pass --allow-incomplete`,
          });
        }
      }
      const config = stored[0]!.config;
      for (const [i, other] of stored.entries()) {
        for (const field of ["problems", "policy", "verifier"] as const) {
          if (other.config[field] !== config[field]) {
            throw new InvalidOptionError({ field: "<runs>", value: runs[i], accepted: `runs made with the same ${field === "problems" ? "problems" : field} as ${runs[0]} (its ${field}: ${String(config[field])})` });
          }
        }
      }
      const records = stored.flatMap((s) => s.records);
      const table = buildCalibrationTable(records, { probeSamples });
      if (table.problems.length < folds * bins) {
        throw new InvalidOptionError({
          field: "<runs>",
          value: runs.join(" "),
          accepted: `a run with weighted-best-of-n at N ≥ ${probeSamples} on at least ${folds * bins} problems (it has ${table.problems.length}); run \`ponder eval\` with more problems or lower --probe`,
        });
      }
      const perBin = table.problems.length / (bins * folds);
      if (perBin < 20) {
        process.stderr.write(`calibrate: warning: ${table.problems.length} problems in ${bins} bins × ${folds} folds leave ~${perBin.toFixed(0)} per bin and fold; choices that fit so few problems rarely hold up (use more calibration problems, or fewer --bins)\n`);
      }
      const chosen = choosePolicy(table, { bins, folds, seed, axis });
      const policy = toPolicy(chosen, {
        models: { policy: config.policy, verifier: config.verifier ?? "none", ...(config.reviser ? { reviser: config.reviser } : {}) },
        probeSamples,
        dataset: config.dataset,
        problems: table.problems.length,
        folds,
        seed,
      });
      await savePolicy(flags.out, policy);
      const versus = versusBestOfN(table, chosen.crossValidated, axis);
      if (flags.json) {
        const crossValidated = chosen.crossValidated.map((c) => ({ budget: c.budget, accuracy: c.accuracy, generations: c.generations, processedFlops: c.flops }));
        process.stdout.write(`${JSON.stringify({ policy: flags.out, problems: table.problems.length, configurations: table.configs.length, bins: policy.bins, choices: policy.choices, crossValidated, versusBestOfN: versus })}\n`);
        return;
      }
      // One choice a line, so the table stays narrow however many budgets there are, and greps by bin or N.
      const rows = policy.choices
        .toSorted((a, b) => a.bin - b.bin || a.budget - b.budget)
        .map((c) => [String(c.bin), String(c.budget), c.strategy, Object.entries(c.options).map(([k, v]) => `${k}=${v}`).join(" "), percent(c.accuracy, 0)]);
      process.stdout.write(
        "strategy chosen per predicted-difficulty bin (1 = easiest) and total budget N\n" +
          `(${table.problems.length} calibration instances, ${table.configs.length} configurations; accuracy within the bin)\n\n` +
          formatTable(["bin", "N", "strategy", "options", "accuracy"], rows, "text") +
          `\n\n${folds}-fold cross-validated accuracy\n` +
          formatTable(["N", "accuracy", "generations", "processed FLOPs"], chosen.crossValidated.map((c) => [String(c.budget), percent(c.accuracy), c.generations.toFixed(1), compact(c.flops)]), "text") +
          `\n\n${versusLine(versus)}` +
          `policy written to ${flags.out}\n`,
      );
    });
}

/**
 * Compute-optimal against weighted best-of-N at its largest budget, on the chosen axis: a small
 * table (the reference, the cheapest match, how many times less it spends) that fits 80 columns.
 */
function versusLine(v: VersusBestOfN | null): string {
  if (!v) return "";
  const ref = v.reference;
  if (!v.match || !v.fewer) return `compute-optimal never reaches weighted best-of-N at N=${ref.budget} (${percent(ref.accuracy)})\n\n`;
  const axisName = v.axis === "generations" ? "generations" : "processed FLOPs";
  return (
    `compute-optimal against weighted best-of-N at its largest N\n(the match: the cheapest N in ${axisName} that reaches its accuracy)\n` +
    formatTable(
      ["", "N", "accuracy", "generations", "processed FLOPs"],
      [
        ["best-of-N", String(ref.budget), percent(ref.accuracy), ref.generations.toFixed(1), compact(ref.flops)],
        ["match", String(v.match.budget), percent(v.match.accuracy), v.match.generations.toFixed(1), compact(v.match.flops)],
        ["fewer", "", "", `${v.fewer.generations.toFixed(1)}×`, `${v.fewer.flops.toFixed(1)}×`],
      ],
      "text",
    ) +
    "\n\n"
  );
}
