import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import { STEP_AGGREGATIONS, type StepAggregation } from "../../aggregation/aggregate-step-scores.js";
import { LIMITS } from "../../core/limits.js";
import { loadPolicy, type ComputeOptimalPolicy } from "../../compute-optimal/policy.js";
import { DEFAULT_EVAL_CONFIG, evalStrategyNames, validateEvalConfig, type EvalConfig } from "../../eval/eval-config.js";
import { summarizeRun } from "../../eval/metrics/summarize-run.js";
import { problemsFingerprint } from "../../eval/problems-fingerprint.js";
import type { EvalRecord } from "../../eval/eval-record.js";
import { ResultsStore } from "../../eval/results-store.js";
import { evaluateIter, readRun } from "../../eval/run-eval.js";
import { DATASET_SPEC_HELP } from "../../datasets/load-dataset.js";
import { GREEDY } from "../../eval/sampling-strategies.js";
import { accuracyTable } from "../../report/accuracy-table.js";
import { compact, formatTable } from "../../report/format-table.js";
import { strategies } from "../../strategies/index.js";
import { duration, ProgressPrinter } from "./eval-progress.js";
import { loadEvalSetup, loadProblems, type EvalProblems, type EvalSetupFlags } from "./eval-setup.js";
import { abortOnInterrupt } from "./interrupt.js";
import { replicaTable } from "./replica-table.js";
import { parseShard, shardDirName, shardProblems } from "../../eval/shard.js";
import { parseChoice, parseInteger, parseIntegerList, parseNumber } from "./parse-flags.js";

interface EvalFlags {
  dataset: string;
  limit?: string;
  levels?: string;
  problemSeed: string;
  policy: string;
  verifier: string;
  reviser: string;
  baseline?: string;
  strategies: string;
  budgets: string;
  seeds: string;
  temperature: string;
  maxTokens: string;
  maxStepTokens: string;
  maxSteps: string;
  aggregation: string;
  beamWidth: string;
  lookahead: string;
  chainLength: string;
  concurrency: string;
  threads?: string;
  sequences: string;
  computePolicy?: string;
  shard?: string;
  out?: string;
  json?: boolean;
}

/** One run's outcome as `--json` prints it. */
interface RunJson {
  out: string;
  problems: number;
  /** Milliseconds this command spent computing (0 when the run was already complete). */
  elapsedMs: number;
  /** Records whose unit failed (counted as wrong answers). */
  failed: number;
  cells: { strategy: string; budget: number; accuracy: number; low: number; high: number; problems: number; compute: ReturnType<typeof summarizeRun>["cells"][number]["compute"] }[];
}

/** `ponder eval`: strategies × budgets × seeds over a dataset, stored as it goes, resumable, with a summary table. */
export function registerEval(program: Command): void {
  program
    .command("eval")
    .summary("evaluate strategies over budgets on a dataset (resumable; see `ponder report`)")
    .description(
      [
        "Runs each strategy at each generation budget N and seed on every problem, and stores one record per (problem, strategy, budget, seed) in <out>/results.jsonl as it completes.",
        "majority, best-of-n and weighted-best-of-n sample once at the largest N and re-vote the first n samples for each smaller budget (sample i does not depend on N); beam-search, lookahead, dvts and revisions run once per budget. `greedy` is one temperature-0 solution, the baseline a larger model is compared by.",
        "A run stopped at any point (Ctrl-C, kill -9, a crash, a full disk) resumes when the same command is run again: complete records are kept, a half-written one is set aside, and the rest is computed. Lines of results.jsonl that are not records of this run (damaged, duplicated, foreign) are moved to results.quarantine.jsonl with a notice. A problem a strategy cannot run on for a reason that would recur (the question does not fit the model's context) is stored as a failed record, counted as wrong, and listed under the summary. Running with other options against the same --out is refused, naming the options that differ; running the same command on a complete run (even a read-only one) prints its summary again without loading a model.",
        "With no model named, the shipped demo models are used: policy-small, the likelihood verifier (the revision model's probability of each step) and the revision model.",
        DATASET_SPEC_HELP,
      ].join("\n\n"),
    )
    .option("--dataset <spec>", `synthetic, ${"math500, gsm8k, aime24, aime25, amc23"}, a JSON/JSONL file or hf:<owner>/<name> (see below)`, "synthetic")
    .option("--limit <n>", `number of problems (synthetic: spread evenly over the levels; default 100; at most ${LIMITS.problems})`)
    .option("--levels <levels>", 'synthetic difficulty levels, like "1-10" or "2,4,6" (default 1-10)')
    .option("--problem-seed <n>", "which synthetic problems; below 1000 are held out from the demo models' training", "0")
    .option("--policy <spec>", "policy: a shipped model name, a GGUF path, hf:… or an http(s) endpoint (as in `ponder solve`)", "policy-small")
    .option("--verifier <spec>", "verifier for strategies that score: likelihood (the shipped revision model's probability of each step), prm (the shipped step-tag PRM), a GGUF path, or any `ponder solve --verifier` spec", "likelihood")
    .option("--reviser <model>", "revision model, for the revisions strategy", "revision")
    .option("--baseline <model>", "also run this (larger) model greedily into <out>/baseline, for the FLOPs-matched comparison in `ponder report`")
    .option("--strategies <list>", `comma-separated, from: ${evalStrategyNames().join(", ")}`, DEFAULT_EVAL_CONFIG.strategies.join(","))
    .option("--budgets <list>", `generation budgets N, like 1,2,4,8,16,32,64,128,256 (each 1–${LIMITS.generations}, at most ${LIMITS.listLength} of them)`, DEFAULT_EVAL_CONFIG.budgets.join(","))
    .option("--seeds <list>", `sampling seeds (0–${LIMITS.seed}, at most ${LIMITS.listLength}); each adds a full repetition`, DEFAULT_EVAL_CONFIG.seeds.join(","))
    .option("--temperature <t>", `sampling temperature (0–${LIMITS.temperature})`, String(DEFAULT_EVAL_CONFIG.temperature))
    .option("--max-tokens <n>", `token limit of a whole solution (1–${LIMITS.tokensPerSolution})`, String(DEFAULT_EVAL_CONFIG.maxTokens))
    .option("--max-step-tokens <n>", `token limit of one step in step-wise search (1–${LIMITS.tokensPerSolution})`, String(DEFAULT_EVAL_CONFIG.maxStepTokens))
    .option("--max-steps <n>", `rounds of step-wise search (1–${LIMITS.steps})`, String(DEFAULT_EVAL_CONFIG.maxSteps))
    .option("--aggregation <how>", `step scores to a solution score: ${STEP_AGGREGATIONS.join(", ")}`, DEFAULT_EVAL_CONFIG.aggregation)
    .option("--beam-width <m>", "beam width M of beam-search, lookahead and dvts (narrowed at budgets below it)", String(DEFAULT_EVAL_CONFIG.beamWidth))
    .option("--lookahead <k>", "rollout steps of lookahead search", String(DEFAULT_EVAL_CONFIG.lookahead))
    .option("--chain-length <s>", "sequential attempts per chain of revisions", String(DEFAULT_EVAL_CONFIG.chainLength))
    .option("--concurrency <n>", `problems in flight at once (the engine batches their calls; 1–${LIMITS.concurrency})`, "8")
    .option("--threads <n>", `llama.cpp threads per embedded model, like llama.cpp's -t, 1–${LIMITS.concurrency} (default: chosen from the cores for all models together; lowered, with a warning, when it would oversubscribe them)`)
    .option("--sequences <n>", `sequences each model's context decodes together (a policy has a context per core by default; 1–${LIMITS.concurrency})`, "16")
    .option("--compute-policy <file>", "policy JSON written by `ponder calibrate`, for the auto strategy")
    .option("-o, --out <dir>", "run directory (default runs/<dataset>-<time>); give an existing one to resume it")
    .option("--shard <k/n>", "run only shard k of n (every n-th problem from the k-th) into <out>/shard-k-of-n, so n machines or jobs share one evaluation; `ponder report <out>` and `ponder calibrate <out>` merge the shards")
    .option("--json", "print the outcome as one JSON object (accuracy with its interval and mean compute per strategy and budget) instead of tables; progress stays on stderr")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  ponder eval --limit 40 --budgets 1,4,16 --strategies majority,weighted-best-of-n,beam-search --out runs/demo\n" +
        "  ponder eval --limit 40 --budgets 1,4,16 --baseline policy-large --out runs/demo   # then: ponder report runs/demo\n" +
        "  ponder eval --strategies majority,dvts --budgets 1,2,4,8,16,32,64,128,256 --seeds 0,1,2 --out runs/big\n" +
        "  ponder eval --policy policy-large --strategies greedy --out runs/large              # a baseline run of its own\n" +
        "  ponder eval ... --out runs/demo    # the same command again resumes an interrupted run\n" +
        "  ponder eval ... --shard 3/8 --out /shared/runs/big    # job 3 of 8 (e.g. $SLURM_ARRAY_TASK_ID/8); then: ponder report /shared/runs/big",
    )
    .action(async (flags: EvalFlags) => runEvalCommand(flags));
}

async function runEvalCommand(flags: EvalFlags): Promise<void> {
  const strategyList = flags.strategies.split(",").map((s) => s.trim()).filter(Boolean);
  const needsVerifier = strategyList.some((s) => strategies[s]?.needsVerifier || s === "revisions");
  const limit = flags.limit === undefined ? undefined : parseInteger("--limit", flags.limit, 1, LIMITS.problems);
  const problemFlags = {
    dataset: flags.dataset,
    limit,
    ...(flags.levels ? { levels: flags.levels } : {}),
    problemSeed: parseInteger("--problem-seed", flags.problemSeed, 0, LIMITS.seed),
  };
  const engineFlags = { threads: flags.threads === undefined ? undefined : parseInteger("--threads", flags.threads, 1, LIMITS.concurrency), sequences: parseInteger("--sequences", flags.sequences, 1, LIMITS.concurrency) };
  const partial = {
    strategies: strategyList,
    budgets: parseIntegerList("--budgets", flags.budgets, 1, LIMITS.generations, LIMITS.listLength),
    seeds: parseIntegerList("--seeds", flags.seeds, 0, LIMITS.seed, LIMITS.listLength),
    temperature: parseNumber("--temperature", flags.temperature, 0, LIMITS.temperature),
    maxTokens: parseInteger("--max-tokens", flags.maxTokens, 1, LIMITS.tokensPerSolution),
    maxStepTokens: parseInteger("--max-step-tokens", flags.maxStepTokens, 1, LIMITS.tokensPerSolution),
    maxSteps: parseInteger("--max-steps", flags.maxSteps, 1, LIMITS.steps),
    aggregation: parseChoice("--aggregation", flags.aggregation, STEP_AGGREGATIONS) as StepAggregation,
    beamWidth: parseInteger("--beam-width", flags.beamWidth, 1, LIMITS.generations),
    lookahead: parseInteger("--lookahead", flags.lookahead, 1, LIMITS.steps),
    chainLength: parseInteger("--chain-length", flags.chainLength, 1, LIMITS.generations),
  };
  const policyFile = flags.computePolicy ? await readComputePolicy(flags.computePolicy) : undefined;
  const policyField = policyFile ? { computePolicy: policyFile.id } : {};
  const verifier = needsVerifier ? flags.verifier : null;
  const reviser = strategyList.includes("revisions") || strategyList.includes("auto") ? flags.reviser : null;
  // Validate before loading any model, so a typo fails in milliseconds.
  validateEvalConfig({ dataset: flags.dataset, problems: "", policy: flags.policy, verifier, reviser, ...partial, ...policyField });
  const shard = flags.shard === undefined ? undefined : parseShard(flags.shard);
  const shardField = shard ? { shard } : {};
  const runDir = flags.out ?? join("runs", `${flags.dataset.replace(/[^\w.-]+/g, "_")}-${new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19)}`);
  const out = shard ? join(runDir, shardDirName(shard)) : runDir;
  const concurrency = parseInteger("--concurrency", flags.concurrency, 1, LIMITS.concurrency);

  const all = await loadProblems(problemFlags);
  // The fingerprint is of all the problems, so that shards of one evaluation can be told to match.
  const config: EvalConfig = { dataset: flags.dataset, problems: problemsFingerprint(all.problems), policy: flags.policy, verifier, reviser, ...partial, ...policyField, ...shardField, problemCount: all.problems.length };
  const loaded: EvalProblems = shard ? { ...all, problems: shardProblems(all.problems, shard) } : all;
  const printed: Record<string, RunJson> = {};
  const json = flags.json ? (label: string, run: RunJson) => void (printed[label] = run) : undefined;
  const controller = new AbortController();
  const stopListening = abortOnInterrupt(controller, "eval");
  try {
    const models = { ...problemFlags, ...engineFlags, policy: flags.policy, verifier, reviser };
    await runOne({ label: "eval", config, models, loaded, out, concurrency, computePolicy: policyFile?.policy, signal: controller.signal, json });
    if (flags.baseline) {
      const { computePolicy: _unused, ...withoutPolicy } = config;
      const baseConfig: EvalConfig = { ...withoutPolicy, policy: flags.baseline, verifier: null, reviser: null, strategies: [GREEDY], budgets: [1] };
      const baseModels = { ...models, policy: flags.baseline, verifier: null, reviser: null };
      const baseOut = shard ? join(runDir, "baseline", shardDirName(shard)) : join(out, "baseline");
      await runOne({ label: "baseline", config: baseConfig, models: baseModels, loaded, out: baseOut, concurrency, signal: controller.signal, json });
    }
  } catch (error) {
    if (controller.signal.aborted) process.stderr.write(`eval: stopped; every record stored so far is kept. Run the same command to resume ${out}\n`);
    throw error;
  } finally {
    stopListening();
  }
  if (flags.json) process.stdout.write(`${JSON.stringify({ ...printed.eval!, ...(printed.baseline ? { baseline: printed.baseline } : {}) })}\n`);
  process.stderr.write(`\nreport: ponder report ${runDir}${shard ? ` (once all ${shard.count} shards are there)` : ""}\n`);
}

/** The policy file's content and an id (path and content hash) to store in the run's configuration. */
async function readComputePolicy(path: string): Promise<{ policy: ComputeOptimalPolicy; id: string }> {
  const policy = await loadPolicy(path);
  return { policy, id: `${path}#${createHash("sha256").update(await readFile(path)).digest("hex").slice(0, 12)}` };
}

interface RunOne {
  label: string;
  config: EvalConfig;
  models: EvalSetupFlags;
  loaded: EvalProblems;
  out: string;
  concurrency: number;
  computePolicy?: ComputeOptimalPolicy | undefined;
  signal: AbortSignal;
  /** Given the outcome instead of printing tables (`--json`). */
  json?: ((label: string, run: RunJson) => void) | undefined;
}

/**
 * One evaluation into `out`. The run directory is checked before any model loads (another
 * configuration, a live writer, a read-only file system: each refused in milliseconds); a run that
 * is already complete is only read and summarised, without models and without a lock.
 * The summary on stdout holds nothing that depends on timing, so the same run prints it byte for byte.
 */
async function runOne({ label, config, models, loaded, out, concurrency, computePolicy, signal, json }: RunOne): Promise<void> {
  const log = (text: string) => process.stderr.write(`${label}: ${text}\n`);
  const existing = readRun(out, config, loaded.problems);
  if (existing?.complete) {
    for (const notice of existing.run.notices) log(notice);
    log(`${out} holds all ${existing.plan.totalRecords} records of this run; nothing to compute`);
    if (json) json(label, runJson(out, existing.run.records, 0));
    else printSummary(label, existing.run.records);
    return;
  }
  ResultsStore.checkWritable(out);
  const setup = await loadEvalSetup(models, loaded);
  const progress = new ProgressPrinter(label);
  const deps = { generator: setup.generator, ...(setup.verifier ? { verifier: setup.verifier } : {}), ...(setup.reviser ? { reviser: setup.reviser } : {}) };
  try {
    const options = { config, problems: setup.problems, deps, answers: setup.answers, grade: setup.grade, out, concurrency, signal, ...(computePolicy ? { computePolicy } : {}) };
    for await (const event of evaluateIter(options)) {
      if (event.type === "start") {
        log(`${setup.problems.length} problems, ${config.strategies.join(", ")} at N = ${config.budgets.join(", ")}, seeds ${config.seeds.join(", ")} → ${out}`);
        for (const notice of event.notices) log(notice);
        if (event.resumedRecords > 0) log(`resuming: ${event.resumedRecords} of ${event.totalRecords} records already stored${event.tornBytes > 0 ? `, a torn last line (${event.tornBytes} bytes) set aside` : ""}`);
        for (const s of event.skipped) log(`skipping ${s.strategy} at N = ${s.budget}: ${s.reason}`);
      } else if (event.type === "progress") progress.update(event);
      else if (event.type === "done") {
        progress.finish();
        log(`${event.records.length} records, ${duration(event.elapsedMs)}`);
        if (json) json(label, runJson(out, event.records, event.elapsedMs));
        else printSummary(label, event.records);
      }
    }
  } finally {
    progress.finish();
    await setup.dispose();
  }
}

/** The outcome `--json` prints: per strategy and budget accuracy, its interval and mean compute; how many records failed. */
function runJson(out: string, records: readonly EvalRecord[], elapsedMs: number): RunJson {
  const cells = summarizeRun(records).cells.map(({ strategy, budget, accuracy, compute }) => ({ strategy, budget, accuracy: accuracy.accuracy, low: accuracy.low, high: accuracy.high, problems: accuracy.problems, compute }));
  return { out, problems: new Set(records.map((r) => r.problemId)).size, elapsedMs: Math.round(elapsedMs), failed: records.filter((r) => r.error !== undefined).length, cells };
}

/** Accuracy and compute per strategy and budget, then the units that failed: the same records print the same bytes. */
function printSummary(label: string, records: readonly EvalRecord[]): void {
  const summary = summarizeRun(records);
  process.stdout.write(`\n${label}: accuracy (95% bootstrap interval), ${new Set(records.map((r) => r.problemId)).size} problems\n`);
  process.stdout.write(accuracyTable(summary.cells, "text") + "\n\n");
  process.stdout.write(
    formatTable(
      ["mean compute per problem", "N", "generations", "processed tokens", "processed FLOPs", "as-sent tokens", "as-sent FLOPs"],
      summary.cells.map((c) => [c.strategy, String(c.budget), compact(c.compute.generations), compact(c.compute.processedTokens), compact(c.compute.processedFlops), compact(c.compute.tokens), compact(c.compute.flops)]),
      "text",
    ) + "\n",
  );
  const replicas = replicaTable(records);
  if (replicas) process.stdout.write(`\n${replicas}\n`);
  const failed = records.filter((r) => r.error !== undefined);
  if (failed.length === 0) return;
  process.stdout.write(`\n${label}: ${failed.length} of ${records.length} records failed and count as wrong answers:\n`);
  for (const r of failed.slice(0, 10)) process.stdout.write(`  ${r.strategy} N=${r.budget} seed ${r.seed} ${r.problemId}: ${r.error!.message}\n`);
  if (failed.length > 10) process.stdout.write(`  … and ${failed.length - 10} more (each record's error is in results.jsonl)\n`);
}
