import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { addUsage, callUsage } from "../core/usage.js";
import { toOpenAIUsage } from "./openai-usage.js";

describe("toOpenAIUsage", () => {
  it("reports the three compute axes: generations, processed FLOPs and as-sent FLOPs", () => {
    // The policy was sent 100 prompt tokens, 30 new to the request; the engine had 80 cached.
    const usage = addUsage(
      callUsage("policy", { parameters: 10, generations: 4, calls: 4, promptTokens: 20, cachedPromptTokens: 80, processedPromptTokens: 30, completionTokens: 40 }),
      callUsage("prm", { parameters: 100, calls: 1, promptTokens: 5 }),
    );
    const u = toOpenAIUsage(usage);
    assert.equal(u.generations, 4);
    assert.equal(u.prompt_tokens, 105);
    assert.equal(u.prompt_tokens_details.cached_tokens, 80);
    assert.equal(u.flops, 2 * 10 * 60 + 2 * 100 * 5, "what the engines evaluated");
    assert.equal(u.processed_flops, 2 * 10 * 70 + 2 * 100 * 5);
    assert.equal(u.as_sent_flops, 2 * 10 * 140 + 2 * 100 * 5);
    assert.equal(u.models.policy!.processed_prompt_tokens, 30);
  });
});
