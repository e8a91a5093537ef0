import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { HashVerifier } from "../../test/hash-verifier.js";
import { LlamaEngine } from "../backends/llama/llama-engine.js";
import { LlamaGenerator } from "../backends/llama/llama-generator.js";
import { loadSynthetic, syntheticAnswerReader } from "../datasets/synthetic/index.js";
import { defaultModels } from "../models/default-models.js";
import { demoTemplate } from "../templates/templates.js";
import { beamSearch } from "./beam-search.js";
import { spreadChildren } from "./step-search.js";

describe("beam search keeps sampling N children a round", () => {
  it("spreads the children over the beams kept, the best first", () => {
    assert.deepEqual(spreadChildren(16, 4), [4, 4, 4, 4]);
    assert.deepEqual(spreadChildren(16, 1), [16]);
    assert.deepEqual(spreadChildren(16, 3), [6, 5, 5]);
    assert.deepEqual(spreadChildren(4, 1), [4]);
  });

  let engine: LlamaEngine;
  before(async () => {
    engine = await LlamaEngine.load({ model: defaultModels["policy-small"], threads: 1, sequences: 16, contextSize: 1024 });
  });
  after(() => engine.dispose());

  it("even when every child repeats one step (temperature 0): N = 16 samples 16 next steps from the one beam left, not 4", async () => {
    const [problem] = loadSynthetic({ levels: "3", count: 1, seed: 21 });
    const result = await beamSearch(problem!, { generator: new LlamaGenerator(engine, demoTemplate), verifier: new HashVerifier(), answers: syntheticAnswerReader }, {
      budget: { generations: 16 },
      beamWidth: 4,
      seed: 1,
      temperature: 0,
    });
    const policy = result.usage[engine.modelId]!;
    const rounds = Number(result.details.rounds);
    assert.ok(rounds >= 4, `a level-3 solution takes 4 steps (${rounds} rounds)`);
    assert.equal(policy.generations, 16, "16 solutions begun");
    assert.equal(policy.calls, 16 * rounds, "16 continuations sampled every round");
  });
});
