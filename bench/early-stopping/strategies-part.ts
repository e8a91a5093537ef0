import type { Candidate } from "../../src/core/candidate.js";
import { mapLimit } from "../../src/core/map-limit.js";
import type { Problem } from "../../src/core/problem.js";
import { formatTable } from "../../src/report/format-table.js";
import { adaptiveConsistency } from "../../src/strategies/adaptive-consistency.js";
import { deepConfOffline } from "../../src/strategies/deepconf-offline.js";
import { deepConfOnline } from "../../src/strategies/deepconf-online.js";
import { esc } from "../../src/strategies/esc.js";
import type { CommonOptions, StrategyDeps, StrategyResult } from "../../src/strategies/strategy.js";
import { outcomeOf, revote, topShare, type Outcome } from "./outcome.js";
import { bootstrap, mean, pct, ratio, sum } from "./stats.js";

/** A strategy measured as itself at budget N. */
export interface LiveStrategy {
  name: string;
  run: (problem: Problem, deps: StrategyDeps, options: CommonOptions) => Promise<StrategyResult>;
}

/** The early-stopping strategies with their defaults, and DeepConf's own top-k signal beside the default likelihood. */
export const LIVE: LiveStrategy[] = [
  { name: "deepconf-online", run: deepConfOnline },
  { name: "deepconf-online (top-k)", run: (p, d, o) => deepConfOnline(p, d, { ...o, confidenceSignal: "top-k" }) },
  { name: "esc", run: esc },
  { name: "adaptive-consistency", run: adaptiveConsistency },
];
const OFFLINE_SHARES = [10, 50, 90];

export interface StrategiesPart {
  /** Per problem, the largest budget's traces (majority voting's samples), each scored by its self-certainty. */
  samples: Candidate[][];
  /** Per row name and budget, per problem. */
  outcomes: Map<string, Outcome[]>;
}

/** Part 1: every strategy at every budget, beside majority voting on the same problems. */
export async function runStrategiesPart(args: {
  problems: readonly Problem[];
  budgets: readonly number[];
  deps: StrategyDeps;
  common: { temperature: number; maxTokens: number };
  concurrency: number;
  print: boolean;
  strategies?: LiveStrategy[];
  title?: string;
}): Promise<StrategiesPart> {
  const { problems, budgets, deps, common, concurrency, strategies = LIVE } = args;
  const largest = Math.max(...budgets);
  const started = performance.now();
  const perProblem = await mapLimit(problems, concurrency, async (problem) => {
    const options = { ...common, seed: 0 };
    const full = await deepConfOffline(problem, deps, { ...options, budget: { generations: largest }, keepPercent: 100 });
    const rows = new Map<string, Outcome>();
    for (const n of budgets) {
      rows.set(key("majority", n), revote(problem, full.candidates, n, "majority"));
      for (const share of OFFLINE_SHARES) {
        const kept = topShare(full.candidates, n, share);
        rows.set(key(`deepconf-offline η=${share}%`, n), revote(problem, full.candidates, n, "weighted", (c, i) => (kept.has(i) ? (c.score ?? 0) : 0)));
      }
      for (const s of strategies) rows.set(key(s.name, n), outcomeOf(problem, await s.run(problem, deps, { ...options, budget: { generations: n } })));
    }
    return { samples: full.candidates, rows };
  });
  const outcomes = new Map<string, Outcome[]>();
  for (const { rows } of perProblem) for (const [k, o] of rows) outcomes.set(k, [...(outcomes.get(k) ?? []), o]);
  if (args.print) {
    console.log(`${args.title ?? "1. strategies"}: ${problems.length} problems, ${((performance.now() - started) / 1000).toFixed(0)} s`);
    printComparison(outcomes, budgets, ["majority", ...OFFLINE_SHARES.map((s) => `deepconf-offline η=${s}%`), ...strategies.map((s) => s.name)]);
  }
  return { samples: perProblem.map((p) => p.samples), outcomes };
}

export function key(name: string, n: number): string {
  return `${name}@${n}`;
}

/** One table per budget: each row beside majority@N, paired over the same problems. */
export function printComparison(outcomes: ReadonlyMap<string, readonly Outcome[]>, budgets: readonly number[], names: readonly string[]): void {
  for (const n of budgets) {
    const base = outcomes.get(key("majority", n))!;
    const baseRight = base.map((o) => (o.correct ? 1 : 0));
    const baseTokens = base.map((o) => o.tokens);
    const rows = names.flatMap((name) => {
      const o = outcomes.get(key(name, n));
      if (!o) return [];
      const right = o.map((x) => (x.correct ? 1 : 0));
      const tokens = o.map((x) => x.tokens);
      const accuracy = bootstrap(o.length, (idx) => mean(right, idx));
      const delta = bootstrap(o.length, (idx) => mean(right, idx) - mean(baseRight, idx));
      const share = bootstrap(o.length, (idx) => sum(tokens, idx) / sum(baseTokens, idx));
      const samples = o.reduce((s, x) => s + x.samples, 0) / o.length;
      return [[name, pct(accuracy), name === "majority" ? "–" : pct(delta, true), (sum(tokens, o.map((_, i) => i)) / o.length).toFixed(0), name === "majority" ? "1" : ratio(share), samples.toFixed(1)]];
    });
    console.log(`N = ${n}`);
    console.log(formatTable(["strategy", "accuracy", "− majority (paired)", "tokens/problem", "tokens ÷ majority's", "solutions begun"], rows, "text"));
    console.log();
  }
}
