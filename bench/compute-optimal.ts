// Compute-optimal figures (issue 7), on held-out synthetic problems and the shipped models:
//  1. the compute (generations and FLOPs) at which compute-optimal selection, chosen per predicted
//     difficulty bin with two-fold cross-validation (the probe's cost counted), matches weighted
//     best-of-N at N=64 — target ≥ 4× less, goal 6×;
//  2. revisions vs parallel sampling per difficulty level (parallel from the revision model itself,
//     chain length 1, and from policy-small, weighted best-of-N);
//  3. policy-small with test-time compute vs policy-large greedy at matched FLOPs, for several R.
// Each run is stored under --out and resumes when the command is run again.
//   node --import tsx bench/compute-optimal.ts [--limit 200] [--levels 1-10] [--budgets 1,2,4,…,64] [--search-budgets 4,16] [--chain-lengths 1,2,4,8] [--out runs/bench-compute-optimal]
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildCalibrationTable } from "../src/compute-optimal/calibration-table.js";
import { choosePolicy } from "../src/compute-optimal/choose-policy.js";
import { summarizeRun } from "../src/eval/metrics/summarize-run.js";
import { defaultModels } from "../src/models/default-models.js";
import { ResultsStore } from "../src/eval/results-store.js";
import { compact, formatTable, percent } from "../src/report/format-table.js";

const { values } = parseArgs({
  options: {
    limit: { type: "string", default: "200" },
    levels: { type: "string", default: "1-10" },
    budgets: { type: "string", default: "1,2,4,8,16,32,64" },
    "search-budgets": { type: "string", default: "4,16" },
    "chain-lengths": { type: "string", default: "1,2,4,8" },
    probe: { type: "string", default: "4" },
    bins: { type: "string", default: "5,1" },
    out: { type: "string", default: "runs/bench-compute-optimal" },
    concurrency: { type: "string", default: "8" },
  },
});
const out = values.out!;
// The CLI from the sources (through tsx, like the benchmark itself), so an edit needs no rebuild of dist/.
const cli = ["--import", "tsx", join(import.meta.dirname, "../src/cli/bin.ts")];
const problemArgs = ["--limit", values.limit!, "--levels", values.levels!, "--concurrency", values.concurrency!];
// One run per strategy family, all on the same problems: sampling once up to the largest N (and
// policy-large greedy, the FLOPs-matched baseline), beam search, and revisions at each chain length.
const runs: { dir: string; args: string[] }[] = [
  { dir: join(out, "sampling"), args: ["--strategies", "majority,weighted-best-of-n", "--budgets", values.budgets!] },
  { dir: join(out, "beam-search"), args: ["--strategies", "beam-search", "--budgets", values["search-budgets"]!] },
  ...values["chain-lengths"]!.split(",").map((s) => ({ dir: join(out, `revisions-s${s}`), args: ["--strategies", "revisions", "--chain-length", s, "--budgets", values["search-budgets"]!] })),
];
for (const run of runs) {
  const started = performance.now();
  const result = spawnSync(process.execPath, [...cli, "eval", ...problemArgs, ...run.args, "--out", run.dir], { stdio: ["ignore", "ignore", "inherit"] });
  if (result.status !== 0) process.exit(result.status ?? 1);
  console.log(`eval ${run.dir}: ${((performance.now() - started) / 1000).toFixed(0)} s this time (\`ponder report ${run.dir}\` draws it)`);
}

// The larger model greedily on the same problems, for the FLOPs-matched comparison (skipped, and said so, without it).
const baselineDir = join(out, "baseline-policy-large");
if (existsSync(defaultModels["policy-large"])) {
  const result = spawnSync(process.execPath, [...cli, "eval", ...problemArgs, "--policy", "policy-large", "--strategies", "greedy", "--out", baselineDir], { stdio: ["ignore", "ignore", "inherit"] });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// Revisions runs differ only in chain length; in the tables they are told apart by it.
const records = runs.flatMap((run) => ResultsStore.read(run.dir).records.map((r) => (r.strategy === "revisions" ? { ...r, strategy: `revisions-s${r.details.chainLength}` } : r)));
const pooled = runs.flatMap((run) => ResultsStore.read(run.dir).records);
const baseline = existsSync(join(baselineDir, "config.json")) ? ResultsStore.read(baselineDir).records : undefined;
const summary = summarizeRun(records, baseline ? { baseline } : {});
const probeSamples = Number(values.probe);

// 1. Compute-optimal (cross-validated) vs weighted best-of-N, for each number of difficulty bins
// (5 as published; 1 chooses per budget alone: with few calibration problems, bins overfit).
const table = buildCalibrationTable(pooled, { probeSamples });
const bon = summary.cells.filter((c) => c.strategy === "weighted-best-of-n").sort((a, b) => a.budget - b.budget);
const target = bon.at(-1)!;
for (const bins of values.bins!.split(",").map(Number)) {
  const chosen = choosePolicy(table, { bins, folds: 2, seed: 0 });
  console.log(`\n1. compute-optimal with ${bins} predicted-difficulty bin${bins === 1 ? "" : "s"} (2-fold cross-validated, ${probeSamples}-sample probe counted) vs weighted best-of-N, ${table.problems.length} problems`);
  console.log(
    formatTable(
      ["budget N", "weighted BoN acc", "BoN generations", "BoN FLOPs", "compute-optimal acc", "c-o generations", "c-o FLOPs"],
      chosen.crossValidated.map((cv) => {
        const b = bon.find((c) => c.budget === cv.budget);
        return [String(cv.budget), b ? percent(b.accuracy.accuracy) : "–", b ? compact(b.compute.generations) : "–", b ? compact(b.compute.flops) : "–", percent(cv.accuracy), cv.generations.toFixed(1), compact(cv.flops)];
      }),
      "text",
    ),
  );
  const match = chosen.crossValidated.filter((cv) => cv.accuracy >= target.accuracy.accuracy).sort((a, b) => a.flops - b.flops)[0];
  if (match) {
    console.log(
      `weighted best-of-N at N=${target.budget}: ${percent(target.accuracy.accuracy)} with ${compact(target.compute.generations)} generations, ${compact(target.compute.flops)} FLOPs per problem; ` +
        `compute-optimal matches it at budget ${match.budget} (${percent(match.accuracy)}) with ${match.generations.toFixed(1)} generations and ${compact(match.flops)} FLOPs: ` +
        `${(target.compute.generations / match.generations).toFixed(1)}× fewer generations, ${(target.compute.flops / match.flops).toFixed(1)}× fewer FLOPs (target ≥ 4×, goal 6×)`,
    );
  } else console.log(`compute-optimal does not reach weighted best-of-N's ${percent(target.accuracy.accuracy)} at N=${target.budget} at any budget`);
}

// 2. Revisions vs parallel sampling per level.
const byLevel = summary.byBin.filter((c) => c.binning === "level");
const levels = [...new Set(byLevel.map((c) => c.bin))].sort((a, b) => a - b);
const revisionStrategies = [...new Set(byLevel.map((c) => c.strategy).filter((s) => s.startsWith("revisions-s")))].sort();
const budgets = [...new Set(byLevel.filter((c) => revisionStrategies.includes(c.strategy)).map((c) => c.budget))].sort((a, b) => a - b);
const compared = [...revisionStrategies, "weighted-best-of-n"];
console.log(
  `\n2. sequential revisions (revisions-sS: chains of S attempts, N/S chains in parallel) vs parallel sampling, accuracy per level; ` +
    `revisions-s1 is parallel sampling from the revision model itself (what isolates the revising from the model), parallel is policy-small's weighted best-of-N`,
);
console.log(
  formatTable(
    ["level", ...budgets.flatMap((b) => compared.map((s) => `${s.replace("weighted-best-of-n", "parallel")}@${b}`))],
    levels.map((level) => [
      String(level),
      ...budgets.flatMap((b) =>
        compared.map((s) => {
          const cell = byLevel.find((c) => c.bin === level && c.budget === b && c.strategy === s);
          return cell ? percent(cell.accuracy.accuracy, 0) : "–";
        }),
      ),
    ]),
    "text",
  ),
);

// 3. FLOPs-matched comparison with the larger model.
const fm = summary.flopsMatched;
console.log(`\n3. policy-small with test-time compute vs policy-large greedy at matched FLOPs`);
if (!fm) console.log(baseline ? summary.flopsMatchedNote : `skipped: ${defaultModels["policy-large"]} is missing`);
else {
  console.log(`${fm.largeModel} greedy: ${percent(fm.largeAccuracy.accuracy)}; ${fm.parameterRatio.toFixed(1)}× the parameters of ${fm.smallModel}`);
  console.log(
    formatTable(
      ["R = D_inference/D_pretrain", "FLOPs allowed (× small greedy)", "best small configuration within it", "small acc", "large acc", "winner"],
      fm.rows.map((r) => [String(r.r), r.multiplier.toFixed(1), r.small ? `${r.small.strategy}@${r.small.budget}` : "–", r.small ? percent(r.small.accuracy) : "–", percent(r.largeAccuracy), r.winner + (r.allowanceUnused ? " (allowance unused)" : "")]),
      "text",
    ),
  );
  for (const bin of fm.byBin) console.log(`  oracle difficulty bin ${bin.bin}: large ${percent(bin.largeAccuracy)}; ${bin.rows.map((r) => `R=${r.r}: ${r.winner}`).join(", ")}`);
}
