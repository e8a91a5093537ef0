import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { LlamaEngine } from "../backends/llama/llama-engine.js";
import { LlamaGenerator } from "../backends/llama/llama-generator.js";
import { earlyStopSubtrees } from "../compute-optimal/calibration-table.js";
import type { ComputeOptimalPolicy } from "../compute-optimal/policy.js";
import type { Candidate } from "../core/candidate.js";
import type { Problem } from "../core/problem.js";
import { demoTemplate } from "../templates/templates.js";
import { HashVerifier } from "../../test/hash-verifier.js";
import { oneBinPolicy } from "../../test/one-bin-policy.js";
import { testAnswerReader } from "../../test/test-answer-reader.js";
import { tinyModelPath } from "../../test/tiny-model.js";
import { bestOfN } from "./best-of-n.js";
import { strategies } from "./index.js";
import type { StrategyDeps } from "./strategy.js";

const problem: Problem = { id: "a1", question: "What is 4 + 4?" };
const common = { seed: 9, maxTokens: 60, maxStepTokens: 20, maxSteps: 4 };

/** One bin, so the choice does not depend on the hash verifier's scores. */
function policyChoosing(strategy: string, options: Record<string, number>, budget = 8): ComputeOptimalPolicy {
  return oneBinPolicy([{ bin: 1, budget, strategy, options, accuracy: 1, problems: 1 }], { policy: "tiny", verifier: "hash-prm" });
}

describe("auto (compute-optimal)", () => {
  let engine: LlamaEngine;
  let deps: StrategyDeps;
  before(async () => {
    engine = await LlamaEngine.load({ model: await tinyModelPath({ arithmetic: true }), threads: 1, sequences: 8, contextSize: 384 });
    deps = { generator: new LlamaGenerator(engine, demoTemplate), verifier: new HashVerifier(), answers: testAnswerReader };
  });
  after(() => engine.dispose());

  it("reuses the probe's samples as a sampling strategy's first ones: same result as that strategy, same compute", async () => {
    const viaAuto = await strategies.auto!.run(problem, deps, { ...common, budget: { generations: 8 }, policy: policyChoosing("weighted-best-of-n", {}) });
    const direct = await bestOfN(problem, deps, { ...common, budget: { generations: 8 } });
    assert.equal(viaAuto.strategy, "auto");
    assert.equal(viaAuto.details.chosen, "weighted-best-of-n");
    assert.equal(typeof viaAuto.details.predictedScore, "number");
    assert.deepEqual(viaAuto.candidates.map((c) => c.steps), direct.candidates.map((c) => c.steps));
    assert.equal(viaAuto.answer, direct.answer);
    assert.equal(viaAuto.usage[engine.modelId]!.generations, 8, "the probe's 4 plus 4 more, not 4 + 8");
  });

  it("gives a search what the probe left and adds the probe's samples to its vote", async () => {
    const result = await strategies.auto!.run(problem, deps, { ...common, budget: { generations: 8 }, policy: policyChoosing("beam-search", { beamWidth: 2 }) });
    assert.equal(result.details.chosen, "beam-search");
    assert.equal(result.details.beams, 4, "8 − 4 probe samples = 4 beams");
    assert.ok(result.usage[engine.modelId]!.generations <= 8);
    assert.ok(result.candidates.length >= 4);
    if (result.chosen) assert.ok(result.candidates.includes(result.chosen));
  });

  it("runs an early-stopping vote on the probe's samples: the same result and compute as esc itself", async () => {
    const viaAuto = await strategies.auto!.run(problem, deps, { ...common, budget: { generations: 8 }, policy: policyChoosing("esc", { wave: 2 }) });
    const direct = await strategies.esc!.run(problem, deps, { ...common, budget: { generations: 8 }, wave: 2 });
    assert.equal(viaAuto.details.chosen, "esc");
    assert.deepEqual(viaAuto.candidates.map((c) => c.steps), direct.candidates.map((c) => c.steps));
    assert.equal(viaAuto.usage[engine.modelId]!.generations, Math.max(4, direct.usage[engine.modelId]!.generations), "the probe's samples are esc's first ones");
  });

  it("stops a DVTS early with the probe's samples in its vote, where the calibration's replay stops it", async () => {
    // The tiny model rarely states "The answer is"; its first character stands for the answer, so votes can settle.
    const firstChar = { ...deps, answers: { extract: (text: string) => text.slice(0, 1) || null, canonical: (a: string) => a } };
    const options = { ...common, budget: { generations: 12 } };
    const probe = await bestOfN(problem, firstChar, { ...options, budget: { generations: 4 } });
    const full = await strategies.dvts!.run(problem, firstChar, { ...options, budget: { generations: 8 }, beamWidth: 2 });
    const asRecorded = (c: Candidate) => ({ text: c.steps.join(""), finishReason: c.finishReason, answer: c.answer, answerKey: c.answerKey, score: c.score ?? 0, correct: false });
    for (const stopWhenDecided of [0.6, 0.95]) {
      const viaAuto = await strategies.auto!.run(problem, firstChar, { ...options, policy: policyChoosing("dvts", { beamWidth: 2, stopWhenDecided }, 12) });
      const grown = earlyStopSubtrees(probe.candidates.map(asRecorded), full.candidates.map(asRecorded), stopWhenDecided);
      assert.deepEqual(viaAuto.candidates.map((c) => c.steps), [...full.candidates.slice(0, grown), ...probe.candidates].map((c) => c.steps));
      assert.equal(viaAuto.usage[engine.modelId]!.generations, 4 + 2 * grown);
    }
  });

  it("refuses to run without a policy", async () => {
    await assert.rejects(strategies.auto!.run(problem, deps, { ...common, budget: { generations: 8 } }), /policy/);
  });
});
