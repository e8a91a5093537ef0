// Beam-search figures (issue 5): beam search N=16, M=4 on the demo models over synthetic problems.
//  1. prompt tokens re-evaluated per token generated (target ≤ 0.1). A prompt token counts as
//     re-evaluated only when the same prefix had been evaluated before in the run (a parent's
//     tokens evaluated again by a child): the question's first evaluation and the last token a
//     parent sampled but never fed to the model are new work, not re-evaluation. The raw ratio
//     (all prompt tokens evaluated / tokens generated) is printed too.
//  2. wall time for the problems run concurrently (--concurrency problems in flight, their beams
//     decoded in shared batches) vs one problem at a time, as Hugging Face's search-and-learn runs
//     them. Each mode gets freshly loaded models, so neither gains from the other's caches.
//   node --import tsx bench/beam-search.ts [--problems 100] [--budget 16] [--beam-width 4] [--levels 3-6] [--sequences 64] [--concurrency 4]
import { parseArgs } from "node:util";
import { LlamaEngine, type EngineCompletion } from "../src/backends/llama/llama-engine.js";
import { LlamaGenerator } from "../src/backends/llama/llama-generator.js";
import { addUsage, type Usage } from "../src/core/usage.js";
import { loadSynthetic } from "../src/datasets/synthetic/load-synthetic.js";
import { syntheticAnswerReader } from "../src/datasets/synthetic/synthetic-answer-reader.js";
import { DEMO_MODEL_NAMES, defaultModelPath, type DemoModelName } from "../src/models/default-models.js";
import { beamSearch } from "../src/strategies/beam-search.js";
import type { StrategyResult } from "../src/strategies/strategy.js";
import { demoTemplate } from "../src/templates/templates.js";
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
const sequences = Number(values.sequences);
const options = { budget: { generations: Number(values.budget) }, beamWidth: Number(values["beam-width"]), seed: 0, maxTokens: 256, maxStepTokens: 64 };
// More problems in flight than the sequences hold would only evict each other's cached prefixes.
const concurrency = Number(values.concurrency ?? Math.max(1, Math.floor(sequences / options.budget.generations)));
const policyPath = (DEMO_MODEL_NAMES as readonly string[]).includes(values.policy!) ? defaultModelPath(values.policy as DemoModelName) : values.policy!;

console.log(
  `beam search N=${values.budget}, M=${values["beam-width"]}; ${problems.length} synthetic problems (levels ${values.levels}); ` +
    `policy ${values.policy}, verifier ${values.verifier}; ${sequences} sequences per model, threads 1`,
);

/** Counts, over one run, prompt tokens whose prefix had already been evaluated (by a rolling hash of every evaluated prefix). */
class ReevaluationCounter {
  readonly #seen = new Set<number>();
  reevaluated = 0;
  record(prompt: readonly number[], result: EngineCompletion): void {
    let h = 0;
    const hashes: number[] = [];
    for (const t of [...prompt, ...result.tokens]) hashes.push((h = (h * 1_000_003 + t + 1) % 4_503_599_627_370_449));
    const evaluatedFrom = prompt.length - result.promptTokens;
    for (let i = evaluatedFrom; i < prompt.length; i++) if (this.#seen.has(hashes[i]!)) this.reevaluated++;
    // The last generated token was sampled but not fed to the model.
    for (let i = evaluatedFrom; i < prompt.length + result.tokens.length - 1; i++) this.#seen.add(hashes[i]!);
  }
}

async function runMode(label: string, limit: number): Promise<{ seconds: number; results: StrategyResult[]; counter: ReevaluationCounter }> {
  const engine = await LlamaEngine.load({ model: policyPath, threads: 1, sequences, contextSize: 1024 });
  const verifier = await createVerifier(values.verifier!, { threads: 1, sequences, contextSize: 1024 });
  const counter = new ReevaluationCounter();
  const complete = engine.complete.bind(engine);
  engine.complete = async (prompt, o) => {
    const result = await complete(prompt, o);
    counter.record(prompt, result);
    return result;
  };
  const deps = { generator: new LlamaGenerator(engine, demoTemplate), verifier: verifier.verifier, answers: syntheticAnswerReader };
  const results: StrategyResult[] = new Array(problems.length);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < problems.length) {
        const i = next++;
        results[i] = await beamSearch(problems[i]!, deps, options);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await verifier.dispose();
  await engine.dispose();
  const correct = results.filter((r, i) => r.answerKey === problems[i]!.answer).length;
  console.log(`${label}: ${seconds.toFixed(1)} s (${((100 * correct) / results.length).toFixed(1)}% correct)`);
  return { seconds, results, counter };
}

const concurrent = await runMode(`${concurrency} problems at a time`, concurrency);
const serial = await runMode("one problem at a time", 1);
console.log(`speed-up of running problems concurrently: ${(serial.seconds / concurrent.seconds).toFixed(2)}×`);
const same = concurrent.results.every((r, i) => JSON.stringify(r.candidates.map((c) => c.steps)) === JSON.stringify(serial.results[i]!.candidates.map((c) => c.steps)));
console.log(`same candidates either way (determinism under batching): ${same}`);

for (const [label, mode] of [[`${concurrency} at a time`, concurrent], ["one at a time", serial]] as const) {
  const usage = mode.results.reduce<Usage>((acc, r) => addUsage(acc, r.usage), {});
  for (const [model, u] of Object.entries(usage)) {
    if (u.completionTokens > 0) {
      console.log(
        `${label}, policy ${model}: generated ${u.completionTokens}; prompt tokens evaluated ${u.promptTokens}, of which re-evaluated ${mode.counter.reevaluated}; ` +
          `served from cache ${u.cachedPromptTokens} → re-evaluated per generated token ${(mode.counter.reevaluated / u.completionTokens).toFixed(3)} (target ≤ 0.1); raw ${(u.promptTokens / u.completionTokens).toFixed(3)}`,
      );
    } else {
      console.log(`${label}, verifier ${model}: scored-text tokens evaluated ${u.promptTokens}, served from cache ${u.cachedPromptTokens} (${((100 * u.cachedPromptTokens) / Math.max(1, u.promptTokens + u.cachedPromptTokens)).toFixed(1)}% from cache)`);
    }
  }
}
