import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { callUsage, addUsage } from "../../core/usage.js";
import { computeAxes, meanComputeAxes, policyOf } from "./compute-axes.js";

describe("computeAxes", () => {
  it("counts as-sent tokens whatever the engine's cache served, and processed tokens from the request's own prefixes", () => {
    // Both calls sent 100 prompt tokens; the request had given the model 60 of them before.
    const cold = callUsage("policy", { parameters: 10, generations: 2, promptTokens: 100, processedPromptTokens: 40, completionTokens: 50 });
    const warm = callUsage("policy", { parameters: 10, generations: 2, promptTokens: 20, cachedPromptTokens: 80, processedPromptTokens: 40, completionTokens: 50 });
    assert.deepEqual(computeAxes(warm), computeAxes(cold), "another request's cache hits change neither axis");
    assert.deepEqual(computeAxes(cold), { generations: 2, processedTokens: 90, processedFlops: 2 * 10 * 90, tokens: 150, flops: 2 * 10 * 150 });
  });

  it("adds models at their own sizes and finds the policy's size from its FLOPs per token", () => {
    const usage = addUsage(callUsage("policy", { parameters: 10, generations: 1, promptTokens: 5, completionTokens: 5 }), callUsage("prm", { parameters: 40, promptTokens: 10 }));
    assert.deepEqual(computeAxes(usage), { generations: 1, processedTokens: 20, processedFlops: 200 + 800, tokens: 20, flops: 200 + 800 });
    assert.deepEqual(policyOf(usage), { modelId: "policy", parameters: 10 });
  });

  it("reads records stored before processed tokens were counted as what the engine evaluated", () => {
    const stored = { policy: { generations: 1, calls: 1, promptTokens: 30, cachedPromptTokens: 70, completionTokens: 10, flops: 2 * 5 * 40, wallMs: 0 } };
    const axes = computeAxes(stored);
    assert.equal(axes.processedTokens, 40);
    assert.equal(axes.processedFlops, 400);
    assert.equal(axes.flops, 2 * 5 * 110);
    assert.equal(meanComputeAxes([stored, stored]).processedTokens, 40);
  });
});
