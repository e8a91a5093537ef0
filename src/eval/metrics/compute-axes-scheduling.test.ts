import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { LlamaEngine } from "../../backends/llama/llama-engine.js";
import { LlamaGenerator } from "../../backends/llama/llama-generator.js";
import { totalUsage } from "../../core/usage.js";
import { loadSynthetic } from "../../datasets/synthetic/load-synthetic.js";
import { syntheticAnswerReader } from "../../datasets/synthetic/synthetic-answer-reader.js";
import { defaultModelPath } from "../../models/default-models.js";
import { beamSearch } from "../../strategies/beam-search.js";
import { bestOfN } from "../../strategies/best-of-n.js";
import { majorityVote } from "../../strategies/majority-vote.js";
import type { StrategyDeps, StrategyResult } from "../../strategies/strategy.js";
import { demoTemplate } from "../../templates/templates.js";
import { createVerifier, type CreatedVerifier } from "../../verifiers/create-verifier.js";
import { computeAxes } from "./compute-axes.js";

// The compute axes must not depend on scheduling: the same runs, one at a time on cold engines and
// then all at once on engines whose KV caches and step-score memos other runs have filled, must be
// charged the same generations, processed tokens and as-sent tokens. The engines' own measured
// cache hits differ between the two, which is why the axes do not use them.
describe("compute axes on the embedded engine, whatever the scheduling", () => {
  let policy: LlamaEngine;
  let prm: CreatedVerifier;
  let deps: StrategyDeps;
  const problems = loadSynthetic({ levels: "3-5", count: 4, seed: 41 });
  const options = { budget: { generations: 8 }, seed: 3, maxTokens: 160, maxStepTokens: 48, beamWidth: 4 };
  const runs = [majorityVote, bestOfN, beamSearch];

  before(async () => {
    policy = await LlamaEngine.load({ model: defaultModelPath("policy-small"), threads: 1, sequences: 16, contextSize: 512 });
    prm = await createVerifier("prm", { threads: 1, sequences: 16, contextSize: 512 });
    deps = { generator: new LlamaGenerator(policy, demoTemplate), verifier: prm.verifier, answers: syntheticAnswerReader };
  });
  after(async () => {
    await prm.dispose();
    await policy.dispose();
  });

  it("charges every run the same generations, processed and as-sent tokens, one at a time or all at once", async (t) => {
    const serial: StrategyResult[] = [];
    for (const problem of problems) for (const run of runs) serial.push(await run(problem, deps, options));
    const together = await Promise.all(problems.flatMap((problem) => runs.map((run) => run(problem, deps, options))));
    const axes = (r: StrategyResult) => computeAxes(r.usage);
    for (const [i, r] of serial.entries()) {
      assert.deepEqual(together[i]!.candidates.map((c) => c.steps), r.candidates.map((c) => c.steps), `${r.strategy}: same candidates`);
      assert.deepEqual(axes(together[i]!), axes(r), `${r.strategy} on ${problems[Math.floor(i / runs.length)]!.id}`);
    }
    const measured = (rs: StrategyResult[]) => rs.reduce((sum, r) => sum + totalUsage(r.usage).promptTokens, 0);
    t.diagnostic(`prompt tokens the engines evaluated: ${measured(serial)} one at a time, ${measured(together)} all at once`);
    assert.notEqual(measured(serial), measured(together), "the engines' measured cache hits do depend on scheduling");

    const beams = serial.filter((r) => r.strategy === "beam-search").map(axes);
    const sum = (key: "processedTokens" | "tokens") => beams.reduce((s, a) => s + a[key], 0);
    t.diagnostic(`beam search: ${sum("processedTokens")} tokens processed, ${sum("tokens")} as sent`);
    assert.ok(sum("processedTokens") < 0.6 * sum("tokens"), "beam search's shared prefixes are cache hits");
  });
});
