import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InvalidOptionError } from "./errors/invalid-option-error.js";
import { percentile, selfCertaintyScore, summarizeTraceConfidence, traceConfidenceBy, validateConfidenceOptions } from "./trace-confidence.js";

describe("summarizeTraceConfidence", () => {
  // Twenty confident tokens with a shaky stretch in the middle and a middling end.
  const trace = [...Array(8).fill(10), 2, 2, 2, 2, ...Array(6).fill(10), 6, 6];

  it("reads the mean, the weakest window, the bottom 10% of windows and the tail", () => {
    const s = summarizeTraceConfidence(trace, { window: 4, tail: 2 });
    assert.ok(Math.abs(s.mean - (14 * 10 + 4 * 2 + 2 * 6) / 20) < 1e-9);
    assert.equal(s.lowestGroup, 2, "the window over the four shaky tokens");
    // 17 windows: the lowest 10% rounds up to 2 of them, the shaky one (2) and its neighbour (4).
    assert.equal(s.bottom10, 3);
    assert.equal(s.tail, 6);
    assert.equal(traceConfidenceBy(s, "lowest-group"), 2);
    assert.equal(traceConfidenceBy(s, "tail"), 6);
  });

  it("gives an empty trace confidence 0 by every measure", () => {
    assert.deepEqual(summarizeTraceConfidence([], { window: 4, tail: 2 }), { mean: 0, lowestGroup: 0, bottom10: 0, tail: 0 });
  });
});

describe("selfCertaintyScore", () => {
  it("maps a confidence into [0, 1): 0 at the flattest distribution, rising towards 1", () => {
    const topK = { signal: "top-k" as const, topK: 20 };
    assert.equal(selfCertaintyScore(Math.log(20), topK), 0);
    assert.ok(Math.abs(selfCertaintyScore(2 * Math.log(20), topK) - 0.5) < 1e-12);
    assert.ok(selfCertaintyScore(1000, topK) < 1 && selfCertaintyScore(1000, topK) > 0.99);
    assert.equal(selfCertaintyScore(0, topK), 0);
  });

  it("reads a likelihood as the geometric-mean probability", () => {
    const likelihood = { signal: "likelihood" as const, topK: 20 };
    assert.ok(Math.abs(selfCertaintyScore(Math.log(0.8), likelihood) - 0.8) < 1e-12);
    assert.equal(selfCertaintyScore(0, likelihood), 1);
  });
});

describe("percentile", () => {
  it("interpolates between ranks like numpy", () => {
    assert.equal(percentile([1, 2, 3, 4, 5], 50), 3);
    assert.equal(percentile([5, 1, 4, 2, 3], 10), 1.4);
    assert.equal(percentile([7], 90), 7);
    assert.ok(Number.isNaN(percentile([], 50)));
  });
});

describe("validateConfidenceOptions", () => {
  it("names the bad field and what is accepted", () => {
    assert.throws(() => validateConfidenceOptions({ measure: "median" }, "x"), (e: unknown) => e instanceof InvalidOptionError && e.field === "confidenceMeasure" && /lowest-group/.test(e.message));
    assert.throws(() => validateConfidenceOptions({ window: 0 }, "x"), (e: unknown) => e instanceof InvalidOptionError && e.field === "confidenceWindow");
    assert.throws(() => validateConfidenceOptions({ topK: 2.5 }, "x"), (e: unknown) => e instanceof InvalidOptionError && e.field === "confidenceTopK");
    assert.throws(() => validateConfidenceOptions({ signal: "entropy" }, "x"), (e: unknown) => e instanceof InvalidOptionError && e.field === "confidenceSignal" && /likelihood/.test(e.message));
    validateConfidenceOptions({ measure: "tail", window: 8, tail: 4, topK: 20 }, "x");
  });
});
