// Beam-search figures (issue 5): beam search N=16, M=4 on the demo models over synthetic problems.
//  1. prompt tokens re-evaluated per token generated (KV prefix reuse: children continue from
//     their parent's cache; target ≤ 0.1), for the policy and for the PRM;
//  2. wall time for the problems run concurrently (--concurrency problems in flight, their beams
//     decoded in shared batches; by default as many problems as the context's sequences hold) vs
//     one problem at a time, as Hugging Face's search-and-learn runs them, and the ratio.
//   node --import tsx bench/beam-search.ts [--problems 100] [--budget 16] [--beam-width 4] [--levels 3-6] [--sequences 64] [--concurrency 4]
import { parseArgs } from "node:util";
import { createGenerator } from "../src/backends/create-generator.js";
import type { Problem } from "../src/core/problem.js";
import { addUsage, type Usage } from "../src/core/usage.js";
import { loadSynthetic } from "../src/datasets/synthetic/load-synthetic.js";
import { syntheticAnswerReader } from "../src/datasets/synthetic/synthetic-answer-reader.js";
import { beamSearch } from "../src/strategies/beam-search.js";
import type { StrategyResult } from "../src/strategies/strategy.js";
import { createVerifier } from "../src/verifiers/create-verifier.js";

const { values } = parseArgs({
  options: {
    problems: { type: "string", default: "100" },
    budget: { type: "string", default: "16" },
    "beam-width": { type: "string", default: "4" },
    levels: { type: "string", default: "3-6" },
    policy: { type: "string", default: "policy-small" },
    verifier: { type: "string", default: "prm" },
    sequences: { type: "string", default: "64" },
    concurrency: { type: "string" },
  },
});
const problems = loadSynthetic({ levels: values.levels!, count: Number(values.problems), seed: 11 });
const engine = { threads: 1, sequences: Number(values.sequences), contextSize: 1024 };
const policy = await createGenerator(values.policy!, engine);
const verifier = await createVerifier(values.verifier!, engine);
const deps = { generator: policy.generator, verifier: verifier.verifier, answers: syntheticAnswerReader };
const options = { budget: { generations: Number(values.budget) }, beamWidth: Number(values["beam-width"]), seed: 0, maxTokens: 256, maxStepTokens: 64 };
const run = (p: Problem) => beamSearch(p, deps, options);
// More problems in flight than the sequences hold would only evict each other's cached prefixes.
const concurrency = Number(values.concurrency ?? Math.max(1, Math.floor(engine.sequences / options.budget.generations)));

/** Runs every problem with at most `limit` in flight; results in problem order. */
async function pooled(limit: number): Promise<StrategyResult[]> {
  const out: StrategyResult[] = new Array(problems.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < problems.length) {
        const i = next++;
        out[i] = await run(problems[i]!);
      }
    }),
  );
  return out;
}

console.log(`beam search N=${values.budget}, M=${values["beam-width"]}; ${problems.length} synthetic problems (levels ${values.levels}); policy ${values.policy}, verifier ${values.verifier}; threads 1`);

async function timed(label: string, go: () => Promise<StrategyResult[]>): Promise<{ seconds: number; results: StrategyResult[] }> {
  const started = performance.now();
  const results = await go();
  const seconds = (performance.now() - started) / 1000;
  const correct = results.filter((r, i) => r.answerKey === problems[i]!.answer).length;
  console.log(`${label}: ${seconds.toFixed(1)} s (${((100 * correct) / results.length).toFixed(1)}% correct)`);
  return { seconds, results };
}

const concurrent = await timed(`${concurrency} problems at a time`, () => pooled(concurrency));
const serial = await timed("one problem at a time", () => pooled(1));
console.log(`speed-up of running problems concurrently: ${(serial.seconds / concurrent.seconds).toFixed(2)}×`);
const same = concurrent.results.every((r, i) => JSON.stringify(r.candidates.map((c) => c.steps)) === JSON.stringify(serial.results[i]!.candidates.map((c) => c.steps)));
console.log(`same candidates either way (determinism under batching): ${same}`);

for (const [label, results] of [["concurrent", concurrent.results], ["one at a time", serial.results]] as const) {
  const usage = results.reduce<Usage>((acc, r) => addUsage(acc, r.usage), {});
  for (const [model, u] of Object.entries(usage)) {
    const role = u.completionTokens > 0 ? "policy" : "verifier";
    const ratio = u.completionTokens > 0 ? `${(u.promptTokens / u.completionTokens).toFixed(3)} re-evaluated per generated token (target ≤ 0.1)` : `${(u.promptTokens / Math.max(1, u.promptTokens + u.cachedPromptTokens)).toFixed(3)} of scored tokens evaluated, the rest from cache`;
    console.log(`${label}, ${role} ${model}: prompt tokens evaluated ${u.promptTokens}, served from cache ${u.cachedPromptTokens}, generated ${u.completionTokens}: ${ratio}`);
  }
}
await verifier.dispose();
await policy.dispose();
