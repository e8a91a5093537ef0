import { buildCalibrationTable } from "../../src/compute-optimal/calibration-table.js";
import { choosePolicy, toPolicy } from "../../src/compute-optimal/choose-policy.js";
import { mapLimit } from "../../src/core/map-limit.js";
import type { Problem } from "../../src/core/problem.js";
import type { Usage } from "../../src/core/usage.js";
import type { EvalRecord } from "../../src/eval/eval-record.js";
import { subsampleResult } from "../../src/eval/sampling-strategies.js";
import { toRecord } from "../../src/eval/to-record.js";
import { formatTable } from "../../src/report/format-table.js";
import { auto } from "../../src/strategies/auto.js";
import { bestOfN } from "../../src/strategies/best-of-n.js";
import { strategies } from "../../src/strategies/index.js";
import type { StrategyDeps, StrategyResult } from "../../src/strategies/strategy.js";
import { createVerifier } from "../../src/verifiers/create-verifier.js";
import { outcomeOf, type Outcome } from "./outcome.js";
import { bootstrap, mean, pct, sum } from "./stats.js";

const EARLY = ["deepconf-online", "esc", "adaptive-consistency"];
const CALIBRATION_BUDGETS = [4, 8, 16, 32, 64];

/**
 * Part 4: `auto` calibrated on other problems (seed 500) with the early-stopping strategies among
 * its choices, beside majority and weighted best-of-N (the shipped PRM); then run on part 1's problems.
 */
export async function runAutoPart(args: {
  calibration: readonly Problem[];
  problems: readonly Problem[];
  budgets: readonly number[];
  deps: StrategyDeps;
  engine: { threads: number; sequences: number };
  common: { temperature: number; maxTokens: number };
  concurrency: number;
  bins?: number;
  /** Weighted best-of-N@64 (PRM) on `problems`, when part 2 computed it from part 1's samples. */
  reference?: Outcome[];
}): Promise<void> {
  const { calibration, problems, budgets, common, concurrency, bins = 3 } = args;
  const prm = await createVerifier("prm", args.engine);
  try {
    const deps = { ...args.deps, verifier: prm.verifier };
    const policyModel = deps.generator.modelId;
    const grade = (gold: string, _answer: string, answerKey: string) => answerKey === deps.answers.canonical(gold);
    const started = performance.now();
    const records = (
      await mapLimit(calibration, concurrency, async (problem) => {
        const options = { ...common, seed: 0 };
        const out: EvalRecord[] = [];
        const record = (r: StrategyResult) => out.push(toRecord(problem, 0, r, grade, deps.generator.stepDelimiter));
        const full = await bestOfN(problem, deps, { ...options, budget: { generations: Math.max(...CALIBRATION_BUDGETS) } });
        // Majority voting draws the same samples; it spends no verifier compute.
        const majority = { ...full, strategy: "majority", usage: only(full.usage, policyModel) };
        for (const n of CALIBRATION_BUDGETS) {
          for (const r of [full, majority]) record(subsampleResult(r, n));
          for (const name of EARLY) record(await strategies[name]!.run(problem, deps, { ...options, budget: { generations: n } }));
        }
        return out;
      })
    ).flat();
    const table = buildCalibrationTable(records, { probeSamples: 4 });
    const chosen = choosePolicy(table, { bins, folds: 2, seed: 0 });
    const policy = toPolicy(chosen, { models: { policy: policyModel, verifier: prm.verifier.modelId }, probeSamples: 4, dataset: "synthetic seed 500", problems: calibration.length, folds: 2, seed: 0 });
    console.log(
      `4. auto: calibrated on ${calibration.length} other problems (synthetic seed 500, ${((performance.now() - started) / 1000).toFixed(0)} s) with majority, weighted best-of-N (PRM) and ${EARLY.join(", ")} ` +
        `at budgets ${CALIBRATION_BUDGETS.join(", ")}; ${bins} predicted-difficulty bins, a 4-sample probe; its choices (bin 1 easiest):`,
    );
    const policyBudgets = [...new Set(policy.choices.map((c) => c.budget))].sort((a, b) => a - b);
    console.log(
      formatTable(
        ["bin", ...policyBudgets.map((b) => `budget ${b}`)],
        Array.from({ length: policy.bins.count }, (_, i) => [String(i + 1), ...policyBudgets.map((b) => label(policy.choices.find((c) => c.bin === i + 1 && c.budget === b)))]),
        "text",
      ),
    );

    const reference = args.reference ?? (await mapLimit(problems, concurrency, async (problem) => outcomeOf(problem, await bestOfN(problem, deps, { ...common, seed: 0, budget: { generations: 64 } }))));
    const runs = new Map<number, Outcome[]>();
    for (const n of budgets) runs.set(n, await mapLimit(problems, concurrency, async (problem) => outcomeOf(problem, await auto(problem, deps, { ...common, seed: 0, budget: { generations: n }, policy, table: strategies }))));
    const refRight = reference.map((o) => (o.correct ? 1 : 0));
    const rows = [...runs].map(([n, o]) => {
      const right = o.map((x) => (x.correct ? 1 : 0));
      const picks = new Map<string, number>();
      for (const x of o) picks.set(x.chosen ?? "?", (picks.get(x.chosen ?? "?") ?? 0) + 1);
      const early = o.filter((x) => EARLY.includes(x.chosen ?? "")).length;
      return [
        `auto@${n}`,
        pct(bootstrap(o.length, (idx) => mean(right, idx))),
        pct(bootstrap(o.length, (idx) => mean(right, idx) - mean(refRight, idx)), true),
        `${(100 * early / o.length).toFixed(0)}%`,
        [...picks].sort((a, b) => b[1] - a[1]).map(([s, c]) => `${s} ${c}`).join(", "),
        (sum(o.map((x) => x.tokens), o.map((_, i) => i)) / o.length).toFixed(0),
        (o.reduce((s, x) => s + x.samples, 0) / o.length).toFixed(1),
        compact(o.reduce((s, x) => s + x.flops, 0) / o.length),
      ];
    });
    const refTokens = reference.reduce((s, x) => s + x.tokens, 0) / reference.length;
    const refFlops = reference.reduce((s, x) => s + x.flops, 0) / reference.length;
    rows.push(["weighted best-of-N@64 (PRM)", pct(bootstrap(reference.length, (idx) => mean(refRight, idx))), "–", "–", "–", refTokens.toFixed(0), "64.0", compact(refFlops)]);
    console.log(`on part 1's ${problems.length} problems:`);
    console.log(formatTable(["run", "accuracy", "− weighted BoN@64 (paired)", "picked early stopping", "picks", "tokens/problem", "solutions begun", "FLOPs/problem"], rows, "text"));
    const target = mean(refRight, refRight.map((_, i) => i));
    const match = [...runs].find(([, o]) => o.filter((x) => x.correct).length / o.length >= target);
    if (match) {
      const [n, o] = match;
      const tokens = o.reduce((s, x) => s + x.tokens, 0) / o.length;
      const flops = o.reduce((s, x) => s + x.flops, 0) / o.length;
      console.log(`auto matches weighted best-of-N@64's accuracy at budget ${n}: ${(refTokens / tokens).toFixed(1)}× fewer generated tokens, ${(refFlops / flops).toFixed(1)}× fewer FLOPs`);
    } else console.log(`auto does not reach weighted best-of-N@64's accuracy at budgets ${budgets.join(", ")}`);
    console.log();
  } finally {
    await prm.dispose();
  }
}

function only(usage: Usage, model: string): Usage {
  return usage[model] ? { [model]: usage[model]! } : {};
}

function label(choice: { strategy: string; options: Record<string, unknown> } | undefined): string {
  if (!choice) return "–";
  const options = Object.entries(choice.options).map(([k, v]) => `${k}=${v}`).join(",");
  return options ? `${choice.strategy}(${options})` : choice.strategy;
}

function compact(x: number): string {
  return x >= 1e9 ? `${(x / 1e9).toFixed(2)}G` : x >= 1e6 ? `${(x / 1e6).toFixed(1)}M` : x.toFixed(0);
}
