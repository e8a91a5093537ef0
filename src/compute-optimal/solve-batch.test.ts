import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { LlamaEngine } from "../backends/llama/llama-engine.js";
import { LlamaGenerator } from "../backends/llama/llama-generator.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import { totalUsage } from "../core/usage.js";
import type { StrategyDeps } from "../strategies/strategy.js";
import { demoTemplate } from "../templates/templates.js";
import { HashVerifier } from "../../test/hash-verifier.js";
import { testAnswerReader } from "../../test/test-answer-reader.js";
import { tinyModelPath } from "../../test/tiny-model.js";
import type { ComputeOptimalPolicy } from "./policy.js";
import { solveBatch } from "./solve-batch.js";

const choice = (bin: number, budget: number, accuracy: number, strategy = "weighted-best-of-n") => ({ bin, budget, strategy, options: {}, accuracy, problems: 4 });
const policy: ComputeOptimalPolicy = {
  format: "ponder.compute-optimal-policy",
  version: 1,
  createdAt: "2026-11-25T00:00:00Z",
  models: { policy: "tiny", verifier: "hash-prm" },
  probe: { samples: 2 },
  bins: { count: 2, edges: [0.5] },
  choices: [choice(1, 2, 0.9), choice(1, 8, 0.9), choice(2, 2, 0.2), choice(2, 8, 0.6, "majority")],
  calibration: { dataset: "hand-made", problems: 8, folds: 2, seed: 0, crossValidatedAccuracy: {} },
};

describe("solveBatch", () => {
  let engine: LlamaEngine;
  let deps: StrategyDeps;
  before(async () => {
    engine = await LlamaEngine.load({ model: await tinyModelPath({ arithmetic: true }), threads: 1, sequences: 8, contextSize: 256 });
    deps = { generator: new LlamaGenerator(engine, demoTemplate), verifier: new HashVerifier(), answers: testAnswerReader };
  });
  after(() => engine.dispose());

  const problems = Array.from({ length: 6 }, (_, i) => ({ id: `b${i}`, question: `What is ${i} + ${i + 1}?` }));

  it("shares one budget across the batch by predicted difficulty, never spending more", async () => {
    const out = await solveBatch(problems, deps, { policy, totalBudget: 24, seed: 2, maxTokens: 48 });
    assert.equal(out.results.length, 6);
    assert.ok(out.budgets.reduce((a, b) => a + b, 0) <= 24);
    assert.ok(totalUsage(out.usage).generations <= 24);
    const hard = out.bins.filter((b) => b === 2).length;
    const upgraded = out.budgets.filter((b) => b === 8).length;
    assert.equal(upgraded, Math.min(hard, Math.floor((24 - 6 * 2) / 6)), "the spare budget goes to hard questions, as far as it reaches");
    for (let i = 0; i < 6; i++) {
      if (out.bins[i] === 1) assert.equal(out.budgets[i], 2, "easy questions keep the probe's 2 samples and nothing more");
      assert.ok(totalUsage(out.results[i]!.usage).generations <= out.budgets[i]!);
    }
  });

  it("refuses a total that cannot even pay for the probes", async () => {
    await assert.rejects(solveBatch(problems, deps, { policy, totalBudget: 11, seed: 2 }), (e: unknown) => e instanceof InvalidOptionError && e.field === "totalBudget");
  });
});
