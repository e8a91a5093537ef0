import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { vote } from "../aggregation/vote.js";
import type { LlamaEngine } from "../backends/llama/llama-engine.js";
import type { Generator } from "../core/generator.js";
import { addUsage, totalUsage, type Usage } from "../core/usage.js";
import { loadSynthetic } from "../datasets/synthetic/load-synthetic.js";
import { policySmallDeps } from "../../test/policy-small-deps.js";
import { deepConfOffline } from "./deepconf-offline.js";
import { deepConfOnline } from "./deepconf-online.js";
import { majorityVote } from "./majority-vote.js";
import type { StrategyDeps, StrategyResult } from "./strategy.js";

const [easy, hard] = [loadSynthetic({ levels: "1", count: 1, seed: 11 })[0]!, loadSynthetic({ levels: "8", count: 1, seed: 11 })[0]!];
const base = { seed: 2, maxTokens: 200, budget: { generations: 12 } };

describe("DeepConf on the shipped policy", () => {
  let engine: LlamaEngine;
  let deps: StrategyDeps;
  before(async () => ({ engine, deps } = await policySmallDeps()));
  after(() => engine.dispose());
  const tokens = (r: StrategyResult) => totalUsage(r.usage).completionTokens;

  it("offline: votes over majority voting's own samples, the most confident η% weighted by self-certainty", async () => {
    const majority = await majorityVote(hard, deps, base);
    const result = await deepConfOffline(hard, deps, { ...base, keepPercent: 25 });
    assert.deepEqual(result.candidates.map((c) => c.steps), majority.candidates.map((c) => c.steps));
    assert.equal(tokens(result), tokens(majority), "the same tokens: only which traces count differs");
    const voting = result.candidates.filter((c) => c.score! > 0);
    assert.equal(voting.length, 3, "⌈25% of 12⌉ vote");
    assert.equal(result.details.kept, 3);
    for (const c of voting) assert.ok(c.score! < 1);
    assert.equal(result.chosen, result.candidates[vote(result.candidates, "weighted")!]);
  });

  it("online: counts every stopped trace's tokens; a stopped trace is majority's sample cut short and states no answer", async () => {
    const majority = await majorityVote(hard, deps, base);
    const result = await deepConfOnline(hard, deps, { ...base, keepPercent: 10, consensus: 1 });
    const stopped = result.candidates.filter((c) => c.finishReason === "step");
    assert.ok(stopped.length > 0, "a threshold at the warm-up's 90th percentile stops some traces");
    assert.equal(result.details.stopped, stopped.length);
    result.candidates.forEach((c, i) => {
      const whole = majority.candidates[i]!.steps.join("\n");
      assert.ok(whole.startsWith(c.steps.join("\n")), `trace ${i} is a prefix of majority's sample ${i}`);
      if (c.finishReason === "step") assert.equal(c.answerKey, null);
      if (c.finishReason === "step") assert.equal(c.score, 0);
    });
    const own = result.candidates.reduce<Usage>((sum, c) => addUsage(sum, c.usage!), {});
    assert.equal(tokens(result), totalUsage(own).completionTokens, "the run's tokens are its traces' tokens, stopped ones included");
    assert.ok(tokens(result) < tokens(majority));
  });

  it("online: stops sampling once the confidence-weighted vote is decided", async () => {
    const result = await deepConfOnline(easy, deps, { ...base, warmup: 4, wave: 4 });
    assert.equal(result.details.stoppedEarly, true);
    assert.equal(result.candidates.length, 4, "four agreeing warm-up traces decide an easy question");
    assert.equal(result.answer, easy.answer);
  });

  it("online: gives up at the first look after giveUpAfter traces where no answer has two votes", async () => {
    const options = { ...base, consensus: 1, warmup: 3, wave: 3 };
    const whole = await deepConfOnline(hard, deps, { ...options, giveUpAfter: 0 });
    assert.equal(whole.candidates.length, 12, "never giving up, consensus 1 draws every trace");
    const result = await deepConfOnline(hard, deps, { ...options, giveUpAfter: 5 });
    // Looks come after the warm-up (3) and after each wave of 3: at 6, 9 traces.
    const look = [6, 9].find((n) => {
      const answers = whole.candidates.slice(0, n).flatMap((c) => (c.score! > 0 && c.answerKey !== null ? [c.answerKey] : []));
      return new Set(answers).size === answers.length;
    });
    assert.ok(look !== undefined, "the hard question's answers scatter (else this test shows nothing)");
    assert.equal(result.candidates.length, look);
    assert.equal(result.details.gaveUp, true);
    assert.equal(result.details.stoppedEarly, true);
    assert.deepEqual(result.candidates.map((c) => c.steps), whole.candidates.slice(0, look).map((c) => c.steps), "the same traces, fewer of them");
    assert.ok(tokens(result) < tokens(whole));
  });

  it("online: the same seed gives the same result whatever the engine's concurrency", async () => {
    const one = await policySmallDeps(1);
    try {
      const options = { ...base, keepPercent: 50, wave: 6 };
      const serial = await deepConfOnline(hard, one.deps, options);
      const parallel = await deepConfOnline(hard, deps, options);
      assert.deepEqual(stable(serial), stable(parallel));
    } finally {
      await one.engine.dispose();
    }
  });

  it("says which generator gave no confidence, rather than voting without it", async () => {
    // A fault double: a backend that ignores the request for confidence.
    const generator: Generator = { modelId: "deaf", stepDelimiter: "\n", generate: (r, signal) => deps.generator.generate({ ...r, confidence: undefined }, signal) };
    await assert.rejects(deepConfOnline(easy, { ...deps, generator }, base), (e: Error & { modelId?: string }) => e.name === "MissingConfidenceError" && e.modelId === "deaf");
  });

  it("rejects bad options naming the field", async () => {
    for (const [field, options] of [
      ["keepPercent", { keepPercent: 0 }],
      ["warmup", { warmup: 0 }],
      ["consensus", { consensus: 1.5 }],
      ["giveUpAfter", { giveUpAfter: -1 }],
      ["confidenceMeasure", { confidenceMeasure: "tail" as const }],
      ["confidenceWindow", { confidenceWindow: 0 }],
    ] as const) {
      await assert.rejects(deepConfOnline(easy, deps, { ...base, ...options }), (e: Error & { field?: string }) => e.field === field);
    }
    await assert.rejects(deepConfOffline(easy, deps, { ...base, keepPercent: 101 }), (e: Error & { field?: string }) => e.field === "keepPercent");
  });
});

/** What a seed must reproduce: texts, answers, scores, tokens (not wall time or cache hits). */
function stable(r: StrategyResult) {
  return {
    answer: r.answer,
    details: r.details,
    tokens: totalUsage(r.usage).completionTokens,
    candidates: r.candidates.map((c) => [c.steps, c.finishReason, c.answerKey, c.score, c.usage && totalUsage(c.usage).completionTokens]),
  };
}
