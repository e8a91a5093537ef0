import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MIN_LOGPROB } from "../../core/token-confidence.js";
import { modelLogprobs, modelLogprobsFromLogits } from "./top-logprobs.js";

const logits = [2.5, -1, 0.3, 4, -7, 1.1, 0, -3];

function logSoftmax(values: readonly number[], temperature = 1): number[] {
  const scaled = values.map((v) => v / temperature);
  const max = Math.max(...scaled);
  const z = Math.log(scaled.reduce((s, v) => s + Math.exp(v - max), 0)) + max;
  return scaled.map((v) => v - z);
}

describe("the model's own log-probabilities, for token confidence", () => {
  const raw = logSoftmax(logits);
  const rawTop = [...raw].sort((a, b) => b - a);

  it("reads the top-k and the written token's from the logits", () => {
    const { top, chosen } = modelLogprobsFromLogits(Float32Array.from([...logits, -Infinity]), 3, 5);
    top.forEach((lp, i) => assert.ok(Math.abs(lp - rawTop[i]!) < 1e-6));
    assert.ok(Math.abs(chosen - raw[5]!) < 1e-6);
  });

  it("recovers the temperature-1 distribution from the probabilities a sampler drew from at another temperature", () => {
    for (const t of [0.3, 0.8, 1, 1.7]) {
      const probabilities = new Map(logSoftmax(logits, t).map((lp, token) => [token, Math.exp(lp)]));
      const { top, chosen } = modelLogprobs(probabilities, t, 5, 2);
      top.forEach((lp, i) => assert.ok(Math.abs(lp - rawTop[i]!) < 1e-9, `T=${t}, rank ${i}: ${lp} vs ${rawTop[i]}`));
      assert.ok(Math.abs(chosen - raw[2]!) < 1e-9);
    }
  });

  it("treats temperature 0 (greedy, unscaled) as 1 and floors candidates with no probability", () => {
    const probabilities = new Map(raw.map((lp, token) => [token, Math.exp(lp)]));
    assert.ok(Math.abs(modelLogprobs(probabilities, 0, 1, 3).top[0]! - rawTop[0]!) < 1e-9);
    const cut = modelLogprobs(new Map([[0, 0.7], [1, 0.3], [2, 0]]), 1, 4, 2);
    assert.deepEqual(cut.top.slice(2), [MIN_LOGPROB, MIN_LOGPROB], "a truncated sampler's missing candidates count as very unlikely");
    assert.equal(cut.chosen, MIN_LOGPROB);
  });
});
