import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { LlamaEngine } from "../backends/llama/llama-engine.js";
import { LlamaGenerator } from "../backends/llama/llama-generator.js";
import type { Problem } from "../core/problem.js";
import { loadSynthetic } from "../datasets/synthetic/load-synthetic.js";
import { syntheticAnswerReader } from "../datasets/synthetic/synthetic-answer-reader.js";
import { defaultModelPath } from "../models/default-models.js";
import { demoTemplate } from "../templates/templates.js";
import { OracleVerifier } from "../verifiers/oracle-verifier.js";
import { bestOfN } from "./best-of-n.js";
import { majorityVote } from "./majority-vote.js";
import type { StrategyDeps } from "./strategy.js";

// With a verifier that knows the gold answer, weighted best-of-N is right whenever any sample is,
// so it bounds majority voting from above, problem by problem; majority voting in turn beats a
// single sample on average over problems. Run on the shipped policy over synthetic problems.
describe("with an oracle verifier on the synthetic benchmark: weighted best-of-N ≥ majority ≥ one sample", () => {
  let engine: LlamaEngine;
  let deps: StrategyDeps;
  const problems: Problem[] = loadSynthetic({ levels: "2-5", count: 32, seed: 3 });
  before(async () => {
    engine = await LlamaEngine.load({ model: defaultModelPath("policy-small"), threads: 1, sequences: 16, contextSize: 512 });
    deps = { generator: new LlamaGenerator(engine, demoTemplate), verifier: new OracleVerifier({ answers: syntheticAnswerReader }), answers: syntheticAnswerReader };
  });
  after(() => engine.dispose());

  it("holds per problem for best-of-N over majority, and over the problems for majority over one sample", async (t) => {
    const options = { budget: { generations: 8 }, seed: 1, maxTokens: 160 };
    let single = 0;
    let majority = 0;
    let weighted = 0;
    for (const problem of problems) {
      const [one, vote, best] = await Promise.all([
        majorityVote(problem, deps, { ...options, budget: { generations: 1 } }),
        majorityVote(problem, deps, options),
        bestOfN(problem, deps, options),
      ]);
      const right = (key: string | null) => (key === problem.answer ? 1 : 0);
      assert.ok(right(best.answerKey) >= right(vote.answerKey), `${problem.id}: majority right, oracle-weighted best-of-N wrong`);
      assert.deepEqual(best.candidates.map((c) => c.steps), vote.candidates.map((c) => c.steps), "both vote over the same samples");
      single += right(one.answerKey);
      majority += right(vote.answerKey);
      weighted += right(best.answerKey);
    }
    t.diagnostic(`${problems.length} problems: one sample ${single}, majority@8 ${majority}, oracle-weighted best-of-8 ${weighted}`);
    assert.ok(weighted >= majority && majority >= single, `best-of-N ${weighted}, majority ${majority}, single ${single}`);
    assert.ok(weighted > single, "the oracle must find right answers a single sample misses");
  });
});
