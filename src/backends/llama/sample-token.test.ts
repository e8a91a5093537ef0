import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "../../core/rng.js";
import { sampleToken } from "./sample-token.js";

const logits = [2, 1, 0, -1, -Infinity];

describe("sampleToken", () => {
  it("is greedy at temperature 0, the lowest id winning ties", () => {
    assert.equal(sampleToken(logits, { temperature: 0 }, 0.99).token, 0);
    assert.equal(sampleToken([1, 3, 3], { temperature: 0 }, 0.5).token, 1);
  });

  it("draws in proportion to softmax(logits / T), never a token of logit -Infinity", () => {
    const rng = createRng(7);
    const counts = [0, 0, 0, 0, 0];
    for (let i = 0; i < 20_000; i++) counts[sampleToken(logits, { temperature: 1 }, rng()).token]!++;
    const z = Math.exp(2) + Math.exp(1) + 1 + Math.exp(-1);
    [Math.exp(2) / z, Math.exp(1) / z, 1 / z, Math.exp(-1) / z].forEach((p, i) => assert.ok(Math.abs(counts[i]! / 20_000 - p) < 0.015, `token ${i}: ${counts[i]! / 20_000} vs ${p}`));
    assert.equal(counts[4], 0);
  });

  it("cuts by top-k, min-p and top-p, and reports the log-probability under the cut distribution", () => {
    const rng = createRng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(sampleToken(logits, { temperature: 1, topK: 2 }, rng()).token);
    assert.deepEqual([...seen].sort(), [0, 1]);
    assert.equal(sampleToken(logits, { temperature: 1, minP: 0.5 }, 0.99).token, 0, "e^1/e^2 < 0.5: only the top token stays");
    const top = sampleToken(logits, { temperature: 1, topP: 0.5 }, 0.99);
    assert.deepEqual(top, { token: 0, logprob: 0 }, "the top token alone holds more than half the mass");
    const two = sampleToken(logits, { temperature: 1, topK: 2 }, 0);
    assert.ok(Math.abs(two.logprob - Math.log(Math.exp(2) / (Math.exp(2) + Math.exp(1)))) < 1e-12);
  });
});
