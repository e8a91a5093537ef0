// How deepconf-online's defaults were chosen (issue 19), on validation problems only (seeds other than
// the held-out ones bench/early-stopping.ts reports on): N traces are drawn once per problem, whole,
// and every setting of warm-up, η, consensus, wave and give-up is replayed over them (bench/early-stopping/
// replay-generator.ts; the same seed writes the same tokens, so a replay is what the engine would do).
// For each budget it prints the settings that spend the fewest tokens while staying within `--slack`
// points of majority@N on the pooled problems, and the defaults' own row.
//   npm run bench -- deepconf-defaults [--seeds 7,8] [--problems 150] [--levels 1-10] [--budgets 16,64]
//       [--policy policy-small] [--sequences 16] [--concurrency 4] [--max-tokens 256] [--slack 0.5] [--top 8]
//       [--drawings FILE: keep the drawn traces there, and start from them when it exists]
import { parseArgs } from "node:util";
import { createGenerator } from "../src/backends/create-generator.js";
import { mapLimit } from "../src/core/map-limit.js";
import type { Problem } from "../src/core/problem.js";
import { loadSynthetic } from "../src/datasets/synthetic/load-synthetic.js";
import { syntheticAnswerReader } from "../src/datasets/synthetic/synthetic-answer-reader.js";
import { formatTable } from "../src/report/format-table.js";
import { deepConfOffline } from "../src/strategies/deepconf-offline.js";
import { deepConfOnline, deepConfOnlineDefaults as defaults, type DeepConfOnlineSettings as Setting } from "../src/strategies/deepconf-online.js";
import { outcomeOf, revote, type Outcome } from "./early-stopping/outcome.js";
import { ReplayGenerator } from "./early-stopping/replay-generator.js";

const { values } = parseArgs({
  options: {
    seeds: { type: "string", default: "7,8" },
    problems: { type: "string", default: "150" },
    levels: { type: "string", default: "1-10" },
    budgets: { type: "string", default: "16,64" },
    policy: { type: "string", default: "policy-small" },
    sequences: { type: "string", default: "16" },
    concurrency: { type: "string", default: "4" },
    "max-tokens": { type: "string", default: "256" },
    slack: { type: "string", default: "0.5" },
    top: { type: "string", default: "8" },
    drawings: { type: "string" },
  },
});
const budgets = values.budgets!.split(",").map(Number);
const largest = Math.max(...budgets);
const problems: Problem[] = values.seeds!.split(",").flatMap((seed) => loadSynthetic({ count: Number(values.problems), levels: values.levels!, seed: Number(seed) }));
const common = { temperature: 0.8, maxTokens: Number(values["max-tokens"]), seed: 0 };
const concurrency = Number(values.concurrency);

const policy = await createGenerator(values.policy!, { threads: 1, sequences: Number(values.sequences) });
const generator = new ReplayGenerator(policy.generator);
if (values.drawings) generator.load(values.drawings);
const deps = { generator, answers: syntheticAnswerReader };
const started = performance.now();
let full: Awaited<ReturnType<typeof deepConfOffline>>[];
try {
  full = await mapLimit(problems, concurrency, (problem) => deepConfOffline(problem, deps, { ...common, budget: { generations: largest }, keepPercent: 100 }));
  if (values.drawings) await generator.save(values.drawings);
} finally {
  await policy.dispose();
}
console.log(`deepconf-online settings on ${problems.length} validation problems (seeds ${values.seeds}, levels ${values.levels}), ${values.policy}, ${largest} traces each drawn in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);

const gridAt = (n: number): Setting[] => {
  const grid: Setting[] = [];
  for (const warmup of [2, 3, 4, 6])
    for (const keepPercent of [10, 30, 50, 90])
      for (const consensus of [0.6, 0.7, 0.8, 0.9, 1])
        for (const wave of [2, 4, 8])
          for (const giveUpAfter of new Set([0, Math.max(6, Math.ceil(n / 8)), Math.max(6, Math.ceil(n / 4))])) grid.push({ warmup, keepPercent, consensus, wave, giveUpAfter });
  return grid;
};

const slack = Number(values.slack) / 100;
for (const n of budgets) {
  const majority = problems.map((p, i) => revote(p, full[i]!.candidates, n, "majority"));
  const base = summarize(majority);
  const rows: { setting: Setting; accuracy: number; share: number; samples: number }[] = [];
  for (const setting of gridAt(n)) {
    if (setting.warmup > n) continue;
    const outcomes = await mapLimit(problems, concurrency, async (p) => outcomeOf(p, await deepConfOnline(p, deps, { ...common, ...setting, budget: { generations: n } })));
    const s = summarize(outcomes);
    rows.push({ setting, accuracy: s.accuracy, share: s.tokens / base.tokens, samples: s.samples });
  }
  const within = rows.filter((r) => r.accuracy >= base.accuracy - slack).sort((a, b) => a.share - b.share);
  const shown = [...within.slice(0, Number(values.top)), ...rows.filter((r) => same(r.setting, defaults(n)))];
  console.log(`N = ${n}: majority ${(100 * base.accuracy).toFixed(1)}%, ${(base.tokens / problems.length).toFixed(0)} tokens/problem; ${within.length} of ${rows.length} settings within ${values.slack} pt`);
  console.log(
    formatTable(
      ["warm-up", "η %", "consensus", "wave", "give up after", "accuracy − majority", "tokens ÷ majority's", "solutions begun"],
      shown.map((r) => [
        String(r.setting.warmup) + (same(r.setting, defaults(n)) ? " (defaults)" : ""),
        String(r.setting.keepPercent),
        String(r.setting.consensus),
        String(r.setting.wave),
        r.setting.giveUpAfter === 0 ? "never" : String(r.setting.giveUpAfter),
        `${(100 * (r.accuracy - base.accuracy)).toFixed(1)} pt`,
        `${r.share.toFixed(3)}×`,
        r.samples.toFixed(1),
      ]),
      "text",
    ),
  );
  console.log();
}

function summarize(outcomes: readonly Outcome[]): { accuracy: number; tokens: number; samples: number } {
  return {
    accuracy: outcomes.filter((o) => o.correct).length / outcomes.length,
    tokens: outcomes.reduce((s, o) => s + o.tokens, 0),
    samples: outcomes.reduce((s, o) => s + o.samples, 0) / outcomes.length,
  };
}

function same(a: Setting, b: Setting): boolean {
  return a.warmup === b.warmup && a.keepPercent === b.keepPercent && a.consensus === b.consensus && a.wave === b.wave && a.giveUpAfter === b.giveUpAfter;
}
