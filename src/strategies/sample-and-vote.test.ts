import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { LlamaEngine } from "../backends/llama/llama-engine.js";
import { LlamaGenerator } from "../backends/llama/llama-generator.js";
import type { Problem } from "../core/problem.js";
import { demoTemplate } from "../templates/templates.js";
import { HashVerifier } from "../../test/hash-verifier.js";
import { testAnswerReader } from "../../test/test-answer-reader.js";
import { tinyModelPath } from "../../test/tiny-model.js";
import { bestOfN } from "./best-of-n.js";
import { majorityVote } from "./majority-vote.js";
import type { StrategyDeps } from "./strategy.js";

const problem: Problem = { id: "s1", question: "What is 5 + 6?" };
const base = { seed: 3, maxTokens: 60 };

describe("sampling strategies", () => {
  let engine: LlamaEngine;
  let deps: StrategyDeps;
  before(async () => {
    engine = await LlamaEngine.load({ model: await tinyModelPath({ arithmetic: true }), threads: 1, sequences: 8, contextSize: 256 });
    deps = { generator: new LlamaGenerator(engine, demoTemplate), verifier: new HashVerifier(), answers: testAnswerReader };
  });
  after(() => engine.dispose());

  it("draws the same first samples at every budget, so small budgets subsample large ones", async () => {
    const small = await majorityVote(problem, deps, { ...base, budget: { generations: 4 } });
    const large = await majorityVote(problem, deps, { ...base, budget: { generations: 8 } });
    assert.deepEqual(large.candidates.slice(0, 4).map((c) => c.steps), small.candidates.map((c) => c.steps));
  });

  it("counts presampled solutions as the first ones and draws only the rest", async () => {
    const probe = await bestOfN(problem, deps, { ...base, budget: { generations: 3 } });
    const whole = await bestOfN(problem, deps, { ...base, budget: { generations: 8 } });
    const resumed = await bestOfN(problem, deps, { ...base, budget: { generations: 8 }, presampled: probe.candidates });
    assert.deepEqual(resumed.candidates.map((c) => c.steps), whole.candidates.map((c) => c.steps));
    assert.equal(resumed.usage[engine.modelId]!.generations, 5);
    assert.equal(resumed.answer, whole.answer);
  });

  it("stops early once the vote is decided, and not before", async () => {
    // The tiny model's greedy text has no "The answer is"; read its first character as the answer instead.
    const firstChar = { extract: (text: string) => text.slice(0, 1) || null, canonical: (a: string) => a };
    const greedyDeps = { ...deps, answers: firstChar };
    const greedy = await majorityVote(problem, greedyDeps, { ...base, temperature: 0, budget: { generations: 16 }, stopWhenDecided: 0.95, wave: 4 });
    assert.equal(greedy.details.stoppedEarly, true, "identical greedy samples agree after the first wave");
    assert.equal(greedy.candidates.length, 4);
    assert.equal(greedy.usage[engine.modelId]!.generations, 4);
    const full = await majorityVote(problem, greedyDeps, { ...base, temperature: 0, budget: { generations: 16 } });
    assert.equal(full.candidates.length, 16, "without the option every sample is drawn");
    assert.equal(greedy.answer, full.answer);
    const split = await majorityVote(problem, greedyDeps, { ...base, budget: { generations: 12 }, stopWhenDecided: 0.99, wave: 4 });
    assert.ok(split.candidates.length > 4, "diverse samples at temperature 0.8 do not settle after one wave");
  });
});
