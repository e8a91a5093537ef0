// Compute-optimal figures (issues 7 and 22), on held-out synthetic problems and the shipped models,
// each comparison like with like:
//  1. search strategies vs weighted best-of-N, both with policy-small and the verifier: compute-optimal
//     selection among policy-small's own strategies (sampling, beam search, DVTS, and sampling and DVTS
//     stopping early, replayed on the recorded runs; no revision model), chosen per predicted-difficulty
//     bin with two-fold cross-validation repeated with new folds (the probe's cost counted), against
//     weighted best-of-N at N=64, in generations (the published budget) and in FLOPs of the tokens
//     actually processed (prompt tokens served from the KV cache excluded), beside FLOPs of every
//     token as sent; at a fixed budget per question (as published) and with one budget shared by the
//     batch (solveBatch);
//  2. revision chains vs the revision model's own parallel sampling (chains of length 1), per level
//     and per difficulty bin;
//  3. policy-small with test-time compute (its own strategies only) vs policy-large greedy at matched
//     processed FLOPs, per oracle difficulty bin and R.
// Each run is stored under --out and resumes when the command is run again.
//   node --import tsx bench/compute-optimal.ts [--limit 400] [--levels 1-10] [--problem-seed 0] [--verifier <spec>]
//       [--budgets 1,2,4,…,64] [--search-strategies beam-search,dvts] [--search-budgets 4,8,16,24,32,48,64]
//       [--chain-lengths 1,2,4,8] [--revision-budgets 4,16] [--bins 5,1] [--shared-budgets 4,6,…,32] [--cv-repeats 5] [--out runs/bench-compute-optimal]
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { buildCalibrationTable } from "../src/compute-optimal/calibration-table.js";
import { choosePolicy } from "../src/compute-optimal/choose-policy.js";
import { crossValidateSharedBudget } from "../src/compute-optimal/shared-budget.js";
import { emptyModelUsage, totalUsage } from "../src/core/usage.js";
import type { EvalRecord } from "../src/eval/eval-record.js";
import { accuracyWithCi, mean } from "../src/eval/metrics/bootstrap-accuracy.js";
import { cellsOf, outcomesByProblem } from "../src/eval/metrics/cell-outcomes.js";
import { computeAxes, policyOf } from "../src/eval/metrics/compute-axes.js";
import { oracleBins, type BinAssignment } from "../src/eval/metrics/difficulty-bins.js";
import { DEFAULT_RATIOS, flopsMatchedRows, type SmallPoint } from "../src/eval/metrics/flops-matched.js";
import { ResultsStore } from "../src/eval/results-store.js";
import { defaultModels } from "../src/models/default-models.js";
import { compact, formatTable, percent } from "../src/report/format-table.js";

const { values } = parseArgs({
  options: {
    limit: { type: "string", default: "400" },
    levels: { type: "string", default: "1-10" },
    "problem-seed": { type: "string", default: "0" },
    budgets: { type: "string", default: "1,2,4,8,16,32,64" },
    "search-strategies": { type: "string", default: "beam-search,dvts" },
    "search-budgets": { type: "string", default: "4,8,16,24,32,48,64" },
    "revision-budgets": { type: "string", default: "4,16" },
    verifier: { type: "string" },
    "chain-lengths": { type: "string", default: "1,2,4,8" },
    probe: { type: "string", default: "4" },
    bins: { type: "string", default: "5,1" },
    "shared-budgets": { type: "string", default: "4,6,8,10,12,16,24,32" },
    "cv-repeats": { type: "string", default: "5" },
    out: { type: "string", default: "runs/bench-compute-optimal" },
    concurrency: { type: "string", default: "8" },
  },
});
const out = values.out!;
// The CLI from the sources (through tsx, like the benchmark itself), so an edit needs no rebuild of dist/.
const cli = ["--import", "tsx", join(import.meta.dirname, "../src/cli/bin.ts")];
const problemArgs = [
  ...["--limit", values.limit!, "--levels", values.levels!, "--problem-seed", values["problem-seed"]!, "--concurrency", values.concurrency!],
  ...(values.verifier ? ["--verifier", values.verifier] : []),
];
const chainLengths = values["chain-lengths"]!.split(",").map((s) => s.trim()).filter(Boolean);

// One run per strategy family, all on the same problems: sampling once up to the largest N, the
// searches, revisions at each chain length, and policy-large greedy (the FLOPs-matched baseline).
const runs: { dir: string; args: string[]; family: "small" | "revisions" }[] = [
  { dir: join(out, "sampling"), args: ["--strategies", "majority,weighted-best-of-n", "--budgets", values.budgets!], family: "small" },
  ...values["search-strategies"]!.split(",").map((s) => s.trim()).filter(Boolean).map((s) => ({ dir: join(out, s), args: ["--strategies", s, "--budgets", values["search-budgets"]!], family: "small" as const })),
  ...chainLengths.map((s) => ({ dir: join(out, `revisions-s${s}`), args: ["--strategies", "revisions", "--chain-length", s, "--budgets", values["revision-budgets"]!], family: "revisions" as const })),
];
const evalRun = (dir: string, args: string[]) => {
  const started = performance.now();
  const result = spawnSync(process.execPath, [...cli, "eval", ...problemArgs, ...args, "--out", dir], { stdio: ["ignore", "ignore", "inherit"] });
  if (result.status !== 0) process.exit(result.status ?? 1);
  console.log(`eval ${dir}: ${((performance.now() - started) / 1000).toFixed(0)} s this time (\`ponder report ${dir}\` draws it)`);
};
for (const run of runs) evalRun(run.dir, run.args);
const baselineDir = join(out, "baseline-policy-large");
if (existsSync(defaultModels["policy-large"])) evalRun(baselineDir, ["--policy", "policy-large", "--strategies", "greedy"]);

const read = (dir: string) => ResultsStore.read(dir).records;
const small = runs.filter((r) => r.family === "small").flatMap((r) => read(r.dir));
// Revisions runs differ only in chain length; in the tables they are told apart by it.
// (A budget below the chain length runs one chain of the whole budget; that cell belongs to the shorter chain's run.)
const revisions = runs
  .filter((r) => r.family === "revisions")
  .flatMap((r) => read(r.dir).filter((x) => `revisions-s${x.details.chainLength}` === basename(r.dir)).map((x) => ({ ...x, strategy: basename(r.dir) })));
const baseline = existsSync(join(baselineDir, "config.json")) ? read(baselineDir) : undefined;

/** FLOPs of the tokens each model processed for the run alone: prompt tokens whose prefix the run already sent are cache hits (compute-axes.ts). */
const processedFlops = (r: EvalRecord) => computeAxes(r.usage).processedFlops;
/** FLOPs of every token as sent, cache hits included (the third axis). */
const sentFlops = (r: EvalRecord) => computeAxes(r.usage).flops;
const generations = (r: EvalRecord) => totalUsage(r.usage).generations;
const ci = (rs: readonly EvalRecord[]) => {
  const a = accuracyWithCi(outcomesByProblem(rs), { seed: 0 });
  return `${percent(a.accuracy)} [${percent(a.low, 0)}–${percent(a.high, 0)}]`;
};
const cells = (rs: readonly EvalRecord[]) => cellsOf(rs).sort((a, b) => a.strategy.localeCompare(b.strategy) || a.budget - b.budget);

// 0. Every policy-small cell on the three compute axes.
console.log(`\n0. policy-small with the verifier, ${new Set(small.map((r) => r.problemId)).size} problems (levels ${values.levels}, problem seed ${values["problem-seed"]}); mean compute per problem`);
console.log(
  formatTable(
    ["strategy", "N", "accuracy [95% CI]", "generations", "FLOPs processed", "FLOPs as sent"],
    cells(small).map((c) => [c.strategy, String(c.budget), ci(c.records), mean(c.records.map(generations)).toFixed(1), compact(mean(c.records.map(processedFlops))), compact(mean(c.records.map(sentFlops)))]),
    "text",
  ),
);

// 1. Compute-optimal among policy-small's own strategies vs its weighted best-of-N.
const probeSamples = Number(values.probe);
const sharedBudgets = values["shared-budgets"]!.split(",").map(Number);
const cvRepeats = Number(values["cv-repeats"]);
/** Rows of several cross-validation repeats, matched by `key`, averaged; the accuracy's range beside the mean. */
function averaged<T extends { accuracy: number; generations: number; flops: number }>(repeats: readonly (readonly T[])[], key: (row: T) => number): (T & { low: number; high: number })[] {
  return repeats[0]!.map((first) => {
    const rows = repeats.map((rs) => rs.find((r) => key(r) === key(first))!);
    const accuracies = rows.map((r) => r.accuracy);
    return { ...first, accuracy: mean(accuracies), generations: mean(rows.map((r) => r.generations)), flops: mean(rows.map((r) => r.flops)), low: Math.min(...accuracies), high: Math.max(...accuracies) };
  });
}
const table = buildCalibrationTable(small, { probeSamples });
const bon = cellsOf(small).filter((c) => c.strategy === "weighted-best-of-n").sort((a, b) => a.budget - b.budget);
const target = bon.at(-1)!;
const targetAccuracy = mean([...outcomesByProblem(target.records).values()].map((o) => o.filter(Boolean).length / o.length));
const targetGenerations = mean(target.records.map(generations));
const targetFlops = mean(target.records.map(processedFlops));
for (const bins of values.bins!.split(",").map(Number)) {
  // Repeated cross-validation: each repeat splits the problems into folds anew (fold seed r); the
  // figures are means over repeats, the accuracy's range across them beside it.
  const repeats = Array.from({ length: cvRepeats }, (_, seed) => choosePolicy(table, { bins, folds: 2, seed }).crossValidated);
  const chosen = { crossValidated: averaged(repeats, (r) => r.budget) };
  console.log(
    `\n1. compute-optimal among policy-small's strategies (${[...new Set(table.configs.map((c) => c.strategy))].join(", ")}) with ${bins} predicted-difficulty bin${bins === 1 ? "" : "s"} ` +
      `(2-fold cross-validation repeated ${cvRepeats}× with new folds, means; ${probeSamples}-sample probe counted) vs weighted best-of-N, ${table.problems.length} problems; FLOPs processed`,
  );
  console.log(
    formatTable(
      ["budget N", "weighted BoN acc", "BoN generations", "BoN FLOPs", "compute-optimal acc (repeats' range)", "c-o generations", "c-o FLOPs"],
      chosen.crossValidated.map((cv) => {
        const b = bon.find((c) => c.budget === cv.budget);
        const row = b ? [percent(mean([...outcomesByProblem(b.records).values()].map((o) => o.filter(Boolean).length / o.length))), mean(b.records.map(generations)).toFixed(1), compact(mean(b.records.map(processedFlops)))] : ["–", "–", "–"];
        return [String(cv.budget), ...row, `${percent(cv.accuracy)} (${percent(cv.low)}–${percent(cv.high)})`, cv.generations.toFixed(1), compact(cv.flops)];
      }),
      "text",
    ),
  );
  const match = chosen.crossValidated.filter((cv) => cv.accuracy >= targetAccuracy).sort((a, b) => a.generations - b.generations || a.flops - b.flops)[0];
  if (match) {
    console.log(
      `weighted best-of-N at N=${target.budget}: ${percent(targetAccuracy)} with ${targetGenerations.toFixed(1)} generations, ${compact(targetFlops)} FLOPs processed per problem; ` +
        `compute-optimal matches it at budget ${match.budget} (${percent(match.accuracy)}) with ${match.generations.toFixed(1)} generations and ${compact(match.flops)} FLOPs: ` +
        `${(targetGenerations / match.generations).toFixed(1)}× fewer generations, ${(targetFlops / match.flops).toFixed(1)}× fewer FLOPs processed (target ≥ 4× fewer generations)`,
    );
  } else console.log(`compute-optimal does not reach weighted best-of-N's ${percent(targetAccuracy)} at N=${target.budget} at any budget`);

  // The same choices with one budget shared by the batch (solveBatch): allocateBudgets gives each
  // held-out problem its budget from the training folds' calibrated accuracy per bin.
  const sharedRepeats = Array.from({ length: cvRepeats }, (_, seed) => crossValidateSharedBudget(table, { meanBudgets: sharedBudgets, bins, folds: 2, seed }));
  const shared = averaged(sharedRepeats, (r) => r.meanBudget);
  console.log(`\n1b. the same, with a budget shared by the batch (solveBatch: each problem's budget chosen from its predicted bin), ${bins} bin${bins === 1 ? "" : "s"}, cross-validated as above`);
  console.log(
    formatTable(
      ["mean budget", "compute-optimal acc (repeats' range)", "generations", "FLOPs processed", "problems per budget (first repeat)"],
      shared.map((r, i) => [String(r.meanBudget), `${percent(r.accuracy)} (${percent(r.low)}–${percent(r.high)})`, r.generations.toFixed(1), compact(r.flops), [...sharedRepeats[0]![i]!.budgets].sort((a, b) => a[0] - b[0]).map(([b, n]) => `${b}:${n}`).join(" ")]),
      "text",
    ),
  );
  const sharedMatch = shared.filter((r) => r.accuracy >= targetAccuracy).sort((a, b) => a.generations - b.generations || a.flops - b.flops)[0];
  console.log(
    sharedMatch
      ? `with a shared budget, compute-optimal matches weighted best-of-N@${target.budget} (${percent(targetAccuracy)}) at a mean budget of ${sharedMatch.meanBudget} (${percent(sharedMatch.accuracy)}): ` +
          `${sharedMatch.generations.toFixed(1)} generations, ${compact(sharedMatch.flops)} FLOPs processed, ${(targetGenerations / sharedMatch.generations).toFixed(1)}× fewer generations and ${(targetFlops / sharedMatch.flops).toFixed(1)}× fewer FLOPs processed`
      : `with a shared budget, compute-optimal does not reach weighted best-of-N's ${percent(targetAccuracy)} at any mean budget up to ${Math.max(...sharedBudgets)}`,
  );
}

// 2. Revision chains vs the revision model's own parallel sampling, per level and per oracle bin of the latter.
if (revisions.length > 0) {
  const parallel = revisions.filter((r) => r.strategy === "revisions-s1");
  const strategies = [...new Set(revisions.map((r) => r.strategy))].sort((a, b) => Number(a.slice(11)) - Number(b.slice(11)));
  const budgets = [...new Set(revisions.map((r) => r.budget))].sort((a, b) => a - b);
  const binnings: [string, BinAssignment[]][] = [];
  const levelBins = [...new Map(revisions.filter((r) => r.level !== undefined).map((r) => [r.problemId, { problemId: r.problemId, bin: r.level!, value: r.level! }])).values()];
  if (levelBins.length > 0) binnings.push(["level", levelBins]);
  const oracle = parallel.length > 0 ? oracleBins(parallel.map((r) => ({ ...r, strategy: "majority" }))) : null;
  if (oracle) binnings.push(["difficulty bin (pass@1 of the revision model's parallel samples; 1 easiest)", oracle]);
  console.log(
    `\n2. sequential revisions (revisions-sS: chains of S attempts, N/S chains in parallel, the revision model) vs the same model's parallel sampling (revisions-s1), accuracy; ` +
      `pooled: ${budgets.map((b) => strategies.map((s) => `${s}@${b} ${ci(revisions.filter((r) => r.strategy === s && r.budget === b))}`).join(", ")).join("; ")}`,
  );
  for (const [name, assignment] of binnings) {
    const binOf = new Map(assignment.map((b) => [b.problemId, b.bin]));
    const binList = [...new Set(assignment.map((b) => b.bin))].sort((a, b) => a - b);
    const cell = (s: string, b: number, bin: number) => {
      const rs = revisions.filter((r) => r.strategy === s && r.budget === b && binOf.get(r.problemId) === bin);
      return rs.length ? mean([...outcomesByProblem(rs).values()].map((o) => o.filter(Boolean).length / o.length)) : NaN;
    };
    console.log(
      formatTable(
        [name.split(" (")[0]!, ...budgets.flatMap((b) => strategies.map((s) => `${s}@${b}`)), ...budgets.map((b) => `best chain vs s1 @${b}`)],
        binList.map((bin) => [
          String(bin),
          ...budgets.flatMap((b) => strategies.map((s) => percent(cell(s, b, bin), 0))),
          ...budgets.map((b) => {
            const chains = strategies.filter((s) => s !== "revisions-s1").map((s) => cell(s, b, bin));
            const d = Math.max(...chains) - cell("revisions-s1", b, bin);
            return Number.isFinite(d) ? `${d >= 0 ? "+" : ""}${(100 * d).toFixed(0)}` : "–";
          }),
        ]),
        "text",
      ),
    );
    if (name !== "level") console.log(`  (${name})`);
  }
}

// 3. policy-small + test-time compute (its own strategies) vs policy-large greedy, at matched processed FLOPs.
console.log(`\n3. policy-small with test-time compute (sampling and search with the verifier) vs policy-large greedy at matched FLOPs processed`);
const largeGreedy = baseline?.filter((r) => r.strategy === "greedy");
const large = largeGreedy?.map((r) => policyOf(r.usage)).find((p) => p !== null);
const smallPolicy = small.filter((r) => r.budget === 1 && r.strategy === "majority").map((r) => policyOf(r.usage)).find((p) => p !== null);
if (!largeGreedy || !large || !smallPolicy) console.log(`skipped: no policy-large greedy run (${defaultModels["policy-large"]}) or no policy-small budget-1 run`);
else {
  const parameterRatio = large.parameters / smallPolicy.parameters;
  // One solution of policy-small as processed: what the R formula's multiplier scales.
  const smallGreedyFlops = mean(small.filter((r) => r.strategy === "majority" && r.budget === 1).map((r) => computeAxes({ [smallPolicy.modelId]: r.usage[smallPolicy.modelId] ?? emptyModelUsage() }).processedFlops));
  const bins = oracleBins(small)!;
  const points = (keep: (id: string) => boolean): SmallPoint[] =>
    cellsOf(small.filter((r) => keep(r.problemId))).map((c) => ({
      strategy: c.strategy,
      budget: c.budget,
      accuracy: mean([...outcomesByProblem(c.records).values()].map((o) => o.filter(Boolean).length / o.length)),
      flops: mean(c.records.map(processedFlops)),
    }));
  const largeAcc = (keep: (id: string) => boolean) => mean([...outcomesByProblem(largeGreedy, keep).values()].map((o) => o.filter(Boolean).length / o.length));
  console.log(
    `${large.modelId} greedy: ${percent(largeAcc(() => true))}; ${parameterRatio.toFixed(1)}× the parameters of ${smallPolicy.modelId}; one policy-small solution: ${compact(smallGreedyFlops)} FLOPs processed; ` +
      `allowance per R: ${DEFAULT_RATIOS.map((r) => `R=${r}: ${(parameterRatio + (3 * (parameterRatio - 1)) / r).toFixed(1)}×`).join(", ")}`,
  );
  const binList = [...new Set(bins.map((b) => b.bin))].sort((a, b) => a - b);
  const groups: [string, (id: string) => boolean][] = [["all", () => true], ...binList.map((bin): [string, (id: string) => boolean] => {
    const ids = new Set(bins.filter((b) => b.bin === bin).map((b) => b.problemId));
    return [`bin ${bin}`, (id) => ids.has(id)];
  })];
  console.log(
    formatTable(
      ["oracle bin (1 easiest)", "policy-large greedy", ...DEFAULT_RATIOS.map((r) => `R=${r}: best small within it`), "winners"],
      groups.map(([name, keep]) => {
        const rows = flopsMatchedRows({ points: points(keep), smallGreedyFlops, parameterRatio, largeAccuracy: largeAcc(keep) });
        return [
          name,
          percent(largeAcc(keep), 0),
          ...rows.map((r) => (r.small ? `${r.small.strategy}@${r.small.budget} ${percent(r.small.accuracy, 0)}${r.allowanceUnused ? "*" : ""}` : "–")),
          rows.map((r) => r.winner).join(","),
        ];
      }),
      "text",
    ),
  );
  console.log("  (* the allowance exceeds the costliest configuration run, so more test-time compute could have been bought)");
}
