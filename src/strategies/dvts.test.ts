import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { LlamaEngine } from "../backends/llama/llama-engine.js";
import { LlamaGenerator } from "../backends/llama/llama-generator.js";
import { earlyStopSubtrees } from "../compute-optimal/calibration-table.js";
import type { Candidate } from "../core/candidate.js";
import type { Problem } from "../core/problem.js";
import type { RecordedCandidate } from "../eval/eval-record.js";
import { demoTemplate } from "../templates/templates.js";
import { HashVerifier } from "../../test/hash-verifier.js";
import { tinyModelPath } from "../../test/tiny-model.js";
import { dvts } from "./dvts.js";
import type { StrategyDeps } from "./strategy.js";

const problem: Problem = { id: "d1", question: "What is 5 + 6?" };
const base = { seed: 3, beamWidth: 2, maxSteps: 4, maxStepTokens: 12, maxTokens: 48 };
const steps = (cs: readonly Candidate[]) => cs.map((c) => c.steps);
const recorded = (c: Candidate): RecordedCandidate => ({ text: c.steps.join(""), finishReason: c.finishReason, answer: c.answer, answerKey: c.answerKey, ...(c.score !== undefined ? { score: c.score } : {}), correct: false });

describe("dvts: subtrees in waves, stopping early", () => {
  let engine: LlamaEngine;
  let deps: StrategyDeps;
  before(async () => {
    engine = await LlamaEngine.load({ model: await tinyModelPath({ arithmetic: true }), threads: 1, sequences: 8, contextSize: 256 });
    // The tiny model rarely states "The answer is"; its first character stands for the answer, so votes can settle.
    deps = { generator: new LlamaGenerator(engine, demoTemplate), verifier: new HashVerifier(), answers: { extract: (text) => text.slice(0, 1) || null, canonical: (a) => a } };
  });
  after(() => engine.dispose());

  it("grows the same subtrees at every budget and in any wave, so a smaller run is a prefix of a larger one", async () => {
    const small = await dvts(problem, deps, { ...base, budget: { generations: 4 } });
    const large = await dvts(problem, deps, { ...base, budget: { generations: 12 } });
    const waves = await dvts(problem, deps, { ...base, budget: { generations: 12 }, stopWhenDecided: 1, wave: 2 });
    assert.equal(large.candidates.length, 6);
    assert.deepEqual(steps(large.candidates.slice(0, 2)), steps(small.candidates));
    assert.deepEqual(steps(waves.candidates), steps(large.candidates), "a confidence of 1 never stops: every wave grown, the same subtrees");
    assert.equal(waves.usage[engine.modelId]!.generations, large.usage[engine.modelId]!.generations);
  });

  it("stops where the calibration's replay of the full run says, counting the probe in the vote", async () => {
    const full = await dvts(problem, deps, { ...base, budget: { generations: 16 } });
    const probe: Candidate[] = [{ ...full.candidates[0]!, score: 0.9 }];
    let stoppedSomewhere = false;
    for (const confidence of [0.5, 0.6, 0.8, 0.95]) {
      const early = await dvts(problem, deps, { ...base, budget: { generations: 16 }, stopWhenDecided: confidence, voteWith: probe });
      const grown = earlyStopSubtrees(probe.map(recorded), full.candidates.map(recorded), confidence);
      assert.deepEqual(steps(early.candidates), steps(full.candidates.slice(0, grown)), `confidence ${confidence}`);
      assert.equal(early.usage[engine.modelId]?.generations ?? 0, grown * base.beamWidth, "only the grown subtrees' solutions are begun");
      assert.equal(early.details.stoppedEarly, grown < 8);
      stoppedSomewhere ||= grown > 0 && grown < 8;
    }
    assert.ok(stoppedSomewhere, "some confidence stops after some subtrees and before the last");
  });

  it("grows nothing when the probe's vote is already decided", async () => {
    const agreed: Candidate[] = Array.from({ length: 6 }, () => ({ steps: ["7"], finishReason: "end", answer: "7", answerKey: "7", score: 1 }));
    const result = await dvts(problem, deps, { ...base, budget: { generations: 4 }, stopWhenDecided: 0.9, voteWith: agreed });
    assert.equal(result.candidates.length, 0);
    assert.equal(result.usage[engine.modelId]?.generations ?? 0, 0);
  });

  it("rejects a bad confidence or wave, naming the field", async () => {
    await assert.rejects(dvts(problem, deps, { ...base, budget: { generations: 4 }, stopWhenDecided: 0 }), (e: Error & { field?: string }) => e.field === "stopWhenDecided");
    await assert.rejects(dvts(problem, deps, { ...base, budget: { generations: 4 }, stopWhenDecided: 0.9, wave: 0 }), (e: Error & { field?: string }) => e.field === "wave");
  });
});
