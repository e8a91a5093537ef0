import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { callUsage, addUsage } from "../../core/usage.js";
import { computeAxes, policyOf } from "./compute-axes.js";

describe("computeAxes", () => {
  it("counts cached prompt tokens as read, so the axes do not depend on what was cached before", () => {
    const cold = callUsage("policy", { parameters: 10, generations: 2, promptTokens: 100, completionTokens: 50 });
    const warm = callUsage("policy", { parameters: 10, generations: 2, promptTokens: 20, cachedPromptTokens: 80, completionTokens: 50 });
    assert.deepEqual(computeAxes(warm), computeAxes(cold));
    assert.deepEqual(computeAxes(cold), { generations: 2, tokens: 150, flops: 2 * 10 * 150 });
  });

  it("adds models at their own sizes and finds the policy's size from its FLOPs per token", () => {
    const usage = addUsage(callUsage("policy", { parameters: 10, generations: 1, promptTokens: 5, completionTokens: 5 }), callUsage("prm", { parameters: 40, promptTokens: 10 }));
    assert.deepEqual(computeAxes(usage), { generations: 1, tokens: 20, flops: 200 + 800 });
    assert.deepEqual(policyOf(usage), { modelId: "policy", parameters: 10 });
  });
});
