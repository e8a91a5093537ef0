import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MIN_LOGPROB } from "../../core/token-confidence.js";
import { rawTopLogprobs, topLogprobsFromLogits } from "./top-logprobs.js";

const logits = [2.5, -1, 0.3, 4, -7, 1.1, 0, -3];

function logSoftmax(values: readonly number[], temperature = 1): number[] {
  const scaled = values.map((v) => v / temperature);
  const max = Math.max(...scaled);
  const z = Math.log(scaled.reduce((s, v) => s + Math.exp(v - max), 0)) + max;
  return scaled.map((v) => v - z);
}

describe("top log-probabilities for token confidence", () => {
  const raw = logSoftmax(logits).sort((a, b) => b - a);

  it("reads the model's own top-k from its logits", () => {
    const top = topLogprobsFromLogits(Float32Array.from([...logits, -Infinity]), 3);
    top.forEach((lp, i) => assert.ok(Math.abs(lp - raw[i]!) < 1e-6));
  });

  it("recovers the temperature-1 distribution from probabilities sampled at another temperature", () => {
    for (const t of [0.3, 0.8, 1, 1.7]) {
      const probabilities = logSoftmax(logits, t)
        .map(Math.exp)
        .sort((a, b) => b - a);
      const top = rawTopLogprobs(probabilities, t, 5);
      top.forEach((lp, i) => assert.ok(Math.abs(lp - raw[i]!) < 1e-9, `T=${t}, rank ${i}: ${lp} vs ${raw[i]}`));
    }
  });

  it("treats temperature 0 (greedy, unscaled) as 1 and floors candidates with no probability", () => {
    const probabilities = logSoftmax(logits).map(Math.exp);
    assert.ok(Math.abs(rawTopLogprobs(probabilities, 0, 1)[0]! - raw[0]!) < 1e-9);
    const cut = rawTopLogprobs([0.7, 0.3, 0, 0], 1, 4);
    assert.deepEqual(cut.slice(2), [MIN_LOGPROB, MIN_LOGPROB], "a truncated sampler's missing candidates count as very unlikely");
  });
});
