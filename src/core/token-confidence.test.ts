import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { groupConfidences, MIN_LOGPROB, roundConfidence, SlidingConfidence, tokenConfidence } from "./token-confidence.js";

describe("tokenConfidence", () => {
  it("is minus the mean log-probability of the k most likely candidates", () => {
    assert.ok(Math.abs(tokenConfidence([-0.01, -5, -9], 3) - 14.01 / 3) < 1e-12);
    assert.equal(tokenConfidence([-5, -0.01, -9, -30], 3), tokenConfidence([-0.01, -5, -9], 3), "order does not matter; only the top k count");
  });

  it("is ln k for k equally likely candidates, its lowest value, and grows as the distribution peaks", () => {
    assert.ok(Math.abs(tokenConfidence(Array(20).fill(Math.log(1 / 20)), 20) - Math.log(20)) < 1e-12);
    const peaked = [Math.log(0.99), ...Array(19).fill(Math.log(0.01 / 19))];
    assert.ok(tokenConfidence(peaked, 20) > 2 * Math.log(20));
  });

  it("averages what a server returned when it returned fewer than k", () => {
    assert.equal(tokenConfidence([-1, -3], 20), 2);
  });

  it("floors impossible candidates instead of becoming infinite", () => {
    const c = tokenConfidence([0, -Infinity, NaN], 3);
    assert.ok(Number.isFinite(c));
    assert.ok(Math.abs(c - (-2 * MIN_LOGPROB) / 3) < 1e-9);
    assert.equal(tokenConfidence([], 20), 0);
  });
});

describe("SlidingConfidence and groupConfidences", () => {
  it("gives the mean of the last `window` values once the window is full", () => {
    const s = new SlidingConfidence(3);
    assert.deepEqual([1, 2, 3, 10, 2].map((v) => s.push(v)), [undefined, undefined, 2, 5, 5]);
    assert.equal(s.count, 5);
    assert.throws(() => new SlidingConfidence(0), RangeError);
  });

  it("lists every full window's mean, or the whole trace's mean when it is shorter than a window", () => {
    assert.deepEqual(groupConfidences([1, 2, 3, 10, 2], 3), [2, 5, 5]);
    assert.deepEqual(groupConfidences([4, 6], 3), [5]);
    assert.deepEqual(groupConfidences([], 3), []);
  });

  it("rounds to a fixed resolution so that float noise does not change decisions", () => {
    assert.equal(roundConfidence(7.12345), roundConfidence(7.1234500001));
    assert.ok(Math.abs(roundConfidence(7.12345) - 7.123) < 1e-9);
  });
});
