import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { LlamaEngine } from "../backends/llama/llama-engine.js";
import { LlamaGenerator } from "../backends/llama/llama-generator.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import { selfCertaintyScore, summarizeTraceConfidence } from "../core/trace-confidence.js";
import { loadSynthetic } from "../datasets/synthetic/load-synthetic.js";
import { defaultModelPath } from "../models/default-models.js";
import { demoTemplate } from "../templates/templates.js";
import { createVerifier } from "./create-verifier.js";
import { SelfCertaintyVerifier } from "./self-certainty-verifier.js";

describe("SelfCertaintyVerifier on the shipped policy", () => {
  let engine: LlamaEngine;
  let policy: LlamaGenerator;
  const problem = loadSynthetic({ levels: "4", count: 1, seed: 5 })[0]!;
  before(async () => {
    engine = await LlamaEngine.load({ model: defaultModelPath("policy-small"), threads: 1, sequences: 4 });
    policy = new LlamaGenerator(engine, demoTemplate);
  });
  after(() => engine.dispose());

  it("scores a solution as the confidence the policy had while writing it", async () => {
    for (const [signal, measure] of [["top-k", "tail"], ["top-k", "lowest-group"], ["likelihood", "mean"], ["likelihood", "lowest-group"]] as const) {
      const { continuations } = await policy.generate({ problem, until: "solution", confidence: { signal }, sampling: { temperature: 0.8, maxTokens: 200, seed: 4 } });
      const c = continuations[0]!;
      assert.equal(c.finishReason, "end");
      const summary = summarizeTraceConfidence(c.tokenConfidences!, { window: 4, tail: 8 });
      const expected = selfCertaintyScore(summary[measure === "lowest-group" ? "lowestGroup" : measure], { signal, topK: 20 });
      const verifier = new SelfCertaintyVerifier({ policy, signal, measure, kind: "outcome" });
      const { stepScores } = await verifier.score([{ problem, steps: c.steps }]);
      assert.ok(Math.abs(stepScores[0]![0]! - expected) < 1e-3, `${signal} ${measure}: ${stepScores[0]![0]} vs ${expected}`);
    }
  });

  it("gives step j the score of the solution cut after step j, so beams are ranked as their own solutions would be", async () => {
    const { continuations } = await policy.generate({ problem, until: "solution", sampling: { temperature: 0.8, maxTokens: 200, seed: 9 } });
    const steps = continuations[0]!.steps;
    const verifier = new SelfCertaintyVerifier({ policy, signal: "top-k", measure: "mean" });
    const whole = (await verifier.score([{ problem, steps }])).stepScores[0]!;
    assert.equal(whole.length, steps.length);
    const cut = await verifier.score(steps.map((_, j) => ({ problem, steps: steps.slice(0, j + 1) })));
    cut.stepScores.forEach((scores, j) => assert.ok(Math.abs(scores[j]! - whole[j]!) < 1e-3, `step ${j}`));
    const outcome = await new SelfCertaintyVerifier({ policy, signal: "top-k", measure: "mean", kind: "outcome" }).score([{ problem, steps }]);
    assert.ok(Math.abs(outcome.stepScores[0]![0]! - whole.at(-1)!) < 1e-9);
  });

  it("scores an overlong candidate as far as the policy's context holds and reports the rest unscored, never failing (issue 15)", async () => {
    const steps = Array.from({ length: 400 }, () => "The answer is 42");
    const process = await new SelfCertaintyVerifier({ policy }).score([{ problem, steps }]);
    assert.ok(process.stepScores[0]!.length > 0 && process.stepScores[0]!.length < steps.length, `${process.stepScores[0]!.length} steps read`);
    assert.match(process.unscored![0]!.reason, new RegExp(`^step ${process.stepScores[0]!.length + 1}: the solution runs past .*context of ${engine.contextSize} tokens`));
    const outcome = await new SelfCertaintyVerifier({ policy, kind: "outcome" }).score([{ problem, steps }]);
    assert.deepEqual(outcome.stepScores, [[]]);
    assert.equal(outcome.unscored![0]!.index, 0);
  });

  it("counts its forward passes, reusing what the engine has cached", async () => {
    const { continuations } = await policy.generate({ problem, until: "solution", sampling: { temperature: 0.8, maxTokens: 200, seed: 2 } });
    const verifier = new SelfCertaintyVerifier({ policy });
    const { usage } = await verifier.score([{ problem, steps: continuations[0]!.steps }]);
    const own = usage[verifier.modelId]!;
    assert.equal(verifier.modelId, `${engine.modelId}/self-certainty`);
    assert.equal(own.calls, 1);
    assert.ok(own.cachedPromptTokens > 0, "the prompt the policy just evaluated is served from the KV cache");
    assert.equal(own.flops, 2 * engine.parameters * own.promptTokens);
  });

  it("is made by createVerifier, scoring with the policy already loaded when none is named", async () => {
    const shared = await createVerifier("self-certainty:?measure=mean&window=4", { policy });
    assert.equal(shared.verifier.modelId, `${engine.modelId}/self-certainty`);
    await shared.dispose();
    assert.ok((await policy.generate({ problem, until: "step", sampling: { temperature: 0, maxTokens: 20, seed: 0 } })).continuations.length === 1, "disposing it leaves the policy loaded");
    const own = await createVerifier("self-certainty:policy-small?measure=lowest-group&threads=1&sequences=2");
    assert.equal(own.verifier.kind, "process");
    await own.dispose();
    await assert.rejects(createVerifier("self-certainty:?measure=median", { policy }), (e: unknown) => e instanceof InvalidOptionError && e.field === "measure" && /lowest-group/.test(e.message));
    await assert.rejects(createVerifier("self-certainty:http://localhost:1/v1?model=m"), (e: unknown) => e instanceof InvalidOptionError && e.field === "verifier");
  });
});
