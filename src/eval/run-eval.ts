import { existsSync } from "node:fs";
import { join } from "node:path";
import type { ComputeOptimalPolicy } from "../compute-optimal/policy.js";
import type { AnswerReader } from "../core/answer-reader.js";
import { AbortedError, throwIfAborted } from "../core/errors/aborted-error.js";
import type { Problem } from "../core/problem.js";
import { strategyByName } from "../strategies/index.js";
import type { StrategyDeps, StrategyResult } from "../strategies/strategy.js";
import { canonicalOrder } from "./canonical-order.js";
import { configDifferences, validateEvalConfig, type EvalConfig } from "./eval-config.js";
import type { EvalEvent } from "./eval-events.js";
import { planEval, type EvalPlan, type WorkUnit } from "./eval-plan.js";
import { recordKey, type EvalRecord } from "./eval-record.js";
import { RunConfigMismatchError } from "./errors/run-config-mismatch-error.js";
import { CONFIG_FILE, ResultsStore, type StoredRun, type StoreIo } from "./results-store.js";
import { GREEDY, isSamplingStrategy, subsampleResult } from "./sampling-strategies.js";
import { toRecord, type Grader } from "./to-record.js";
import { failedRecords, recurs } from "./unit-failure.js";

export interface EvalOptions {
  /** What to run; stored in `out` and checked when a run resumes. */
  config: EvalConfig;
  problems: readonly Problem[];
  /** The models the configuration names, already loaded. */
  deps: Omit<StrategyDeps, "signal" | "onEvent" | "answers">;
  answers: AnswerReader;
  /** Equivalence of a stated answer with the gold one; defaults to equal canonical keys. */
  grade?: Grader;
  /** The run directory: created, or resumed when it holds a run of the same configuration. */
  out: string;
  /** The compute-optimal policy the `auto` strategy applies (required when it runs). */
  computePolicy?: ComputeOptimalPolicy;
  /** Problems in flight at once; the engine batches their calls (default 8). */
  concurrency?: number;
  signal?: AbortSignal;
  /** The results file's write operations, swappable to inject faults. */
  io?: StoreIo;
}

/**
 * Evaluates strategies over problems, budgets and seeds, storing one record per
 * (problem, strategy, budget, seed) as it completes, and yields events as it goes.
 * Resumes a killed run of the same configuration where it stopped. A unit that fails for a
 * reason that would recur (the question does not fit the policy's context, …) is stored as a
 * failed record with its error, so the run always completes; other failures (a backend down, a
 * full disk) stop the run, and running it again retries them. A complete run is only read: no
 * lock is taken, so an archived or read-only run re-prints its summary.
 * @example for await (const e of evaluateIter({ config, problems, deps: { generator, verifier }, answers, out: "runs/a" })) console.log(e.type)
 */
export async function* evaluateIter(options: EvalOptions): AsyncGenerator<EvalEvent> {
  const { problems, deps, answers, out, concurrency = 8, signal, computePolicy, io } = options;
  const config = validateEvalConfig(options.config);
  if (config.strategies.includes("auto") && !computePolicy) throw new Error("the auto strategy needs options.computePolicy");
  const grade: Grader = options.grade ?? ((gold, _answer, key) => answers.canonical(gold) === key);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency must be an integer ≥ 1, got ${concurrency}`);
  const stored = readRun(out, config, problems);
  if (stored?.complete) {
    const { plan, run } = stored;
    yield { type: "start", totalRecords: plan.totalRecords, resumedRecords: run.records.length, tornBytes: run.tornBytes, units: 0, skipped: plan.skipped, notices: run.notices };
    yield { type: "done", records: run.records, elapsedMs: 0 };
    return;
  }

  const store = ResultsStore.open(out, config, { accept: plannedRecords(config, problems), ...(io ? { io } : {}) });
  try {
    const plan = planEval(config, problems, (key) => store.has(key));
    const all: EvalRecord[] = [...store.resumed];
    const started = performance.now();
    yield { type: "start", totalRecords: plan.totalRecords, resumedRecords: store.resumed.length, tornBytes: store.tornBytes, units: plan.units.length, skipped: plan.skipped, notices: [...store.notices] };

    const unitsLeft = new Map<string, number>();
    for (const u of plan.units) unitsLeft.set(u.problem.id, (unitsLeft.get(u.problem.id) ?? 0) + 1);
    const totalWeight = plan.units.reduce((sum, u) => sum + weight(u), 0);
    // The first units to finish ran beside others still running: the pace is known once a full wave is done.
    const wave = Math.min(concurrency, plan.units.length);
    let doneWeight = 0;
    let doneUnits = 0;
    const queue: EvalEvent[] = [];
    let wake: (() => void) | null = null;
    const push = (event: EvalEvent) => {
      queue.push(event);
      wake?.();
    };

    const runUnit = async (unit: WorkUnit) => {
      const runOptions = unit.strategy === "auto" ? { ...unit.options, policy: computePolicy! } : unit.options;
      let records: EvalRecord[];
      try {
        const result = await strategyByName(unit.strategy === GREEDY ? "majority" : unit.strategy).run(unit.problem, { ...deps, answers, signal }, runOptions);
        records = unitRecords(unit, result, grade, deps.generator.stepDelimiter);
      } catch (error) {
        if (signal?.aborted || !recurs(error)) throw error;
        records = failedRecords(unit, error);
      }
      const written = store.append(records);
      all.push(...written);
      doneWeight += weight(unit);
      doneUnits++;
      push({ type: "records", records: written });
      const elapsedMs = performance.now() - started;
      const etaMs = doneUnits < wave ? null : (elapsedMs / doneWeight) * (totalWeight - doneWeight);
      push({ type: "progress", doneRecords: all.length, totalRecords: plan.totalRecords, elapsedMs, etaMs });
      const left = unitsLeft.get(unit.problem.id)! - 1;
      unitsLeft.set(unit.problem.id, left);
      if (left === 0) push({ type: "problem-done", problemId: unit.problem.id, records: all.filter((r) => r.problemId === unit.problem.id) });
    };

    let next = 0;
    let failure: { error: unknown } | null = null;
    const worker = async () => {
      while (next < plan.units.length && !failure) {
        const unit = plan.units[next++]!;
        try {
          throwIfAborted(signal);
          await runUnit(unit);
        } catch (error) {
          failure ??= { error: signal?.aborted && !(error instanceof AbortedError) ? new AbortedError({ cause: error }) : error };
        }
      }
    };
    let finished = false;
    const workers = Promise.all(Array.from({ length: Math.min(concurrency, plan.units.length) }, worker)).then(() => {
      finished = true;
      wake?.();
    });
    while (!finished || queue.length > 0) {
      if (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      while (queue.length > 0) yield queue.shift()!;
    }
    await workers;
    if (failure) throw (failure as { error: unknown }).error;
    yield { type: "done", records: canonicalOrder(all, config), elapsedMs: performance.now() - started };
  } finally {
    store.close();
  }
}

/** Runs an evaluation to the end and returns every record of the run (the promise form of `evaluateIter`). */
export async function evaluate(options: EvalOptions): Promise<EvalRecord[]> {
  for await (const event of evaluateIter(options)) if (event.type === "done") return event.records;
  throw new Error("evaluation ended without a done event");
}

/**
 * What `out` holds of this run, read without locking or changing anything (records in canonical
 * order), and whether it is complete; null when there is no run there yet. Throws
 * RunConfigMismatchError when it holds a run of another configuration. Cheap: callers check a
 * run directory with it before loading any model.
 */
export function readRun(out: string, config: EvalConfig, problems: readonly Problem[]): { run: StoredRun; plan: EvalPlan; complete: boolean } | null {
  if (!existsSync(join(out, CONFIG_FILE))) return null;
  const valid = validateEvalConfig(config);
  const run = ResultsStore.read(out, { accept: plannedRecords(valid, problems) });
  const differences = configDifferences(run.config, valid);
  if (differences.length > 0) throw new RunConfigMismatchError({ dir: out, differences });
  const keys = new Set(run.records.map(recordKey));
  const plan = planEval(valid, problems, (key) => keys.has(key));
  return { run: { ...run, records: canonicalOrder(run.records, valid) }, plan, complete: plan.units.length === 0 };
}

/** Why a stored record is not one this run plans (a problem, strategy, budget or seed it does not have), or null when it is. */
function plannedRecords(config: EvalConfig, problems: readonly Problem[]): (record: EvalRecord) => string | null {
  const ids = new Set(problems.map((p) => p.id));
  const keys = new Set(planEval(config, problems, () => false).units.flatMap((u) => u.budgets.map((budget) => recordKey({ problemId: u.problem.id, strategy: u.strategy, budget, seed: u.seed }))));
  return (r) => {
    if (keys.has(recordKey(r))) return null;
    if (!ids.has(r.problemId)) return `problem ${JSON.stringify(r.problemId)} is not among the ${ids.size} problems evaluated`;
    return `${r.strategy} at N = ${r.budget} with seed ${r.seed} is not a cell of this configuration`;
  };
}

/** The records of one strategy run: one per budget it covers, smaller budgets re-voted from its first samples. */
function unitRecords(unit: WorkUnit, result: StrategyResult, grade: Grader, delimiter: string): EvalRecord[] {
  const named = unit.strategy === GREEDY ? { ...result, strategy: GREEDY } : result;
  const largest = unit.budgets[unit.budgets.length - 1]!;
  return unit.budgets.map((budget) => {
    const sub = isSamplingStrategy(unit.strategy) && budget < largest ? subsampleResult(named, budget) : named;
    return { ...toRecord(unit.problem, unit.seed, sub, grade, delimiter), subsampled: sub !== named };
  });
}

/** Relative cost of a unit for the ETA: the budget it runs at. */
function weight(unit: WorkUnit): number {
  return unit.budgets[unit.budgets.length - 1]!;
}
