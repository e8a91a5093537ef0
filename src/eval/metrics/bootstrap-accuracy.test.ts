import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { accuracyWithCi, quantileSorted } from "./bootstrap-accuracy.js";

describe("accuracyWithCi", () => {
  it("averages seeds within a problem before averaging problems", () => {
    const est = accuracyWithCi(new Map([["a", [true, false]], ["b", [true, true]], ["c", [false]], ["d", [false, false]]]), { seed: 1 });
    assert.equal(est.accuracy, (0.5 + 1 + 0 + 0) / 4);
    assert.equal(est.problems, 4);
  });

  it("gives an interval around the accuracy that narrows with more problems and repeats with the seed", () => {
    const outcomes = (n: number) => new Map(Array.from({ length: n }, (_, i) => [`p${i}`, [i % 2 === 0]]));
    const small = accuracyWithCi(outcomes(20), { seed: 3 });
    const large = accuracyWithCi(outcomes(400), { seed: 3 });
    assert.ok(small.low < 0.5 && small.high > 0.5);
    assert.ok(large.high - large.low < small.high - small.low);
    // Binomial standard error at n = 400 is 0.025: a 95% interval spans about ±0.049.
    assert.ok(Math.abs(large.high - large.low - 0.098) < 0.02, `${large.low}–${large.high}`);
    assert.deepEqual(accuracyWithCi(outcomes(20), { seed: 3 }), small);
  });

  it("collapses to the point when every problem agrees, and is NaN without problems", () => {
    const all = accuracyWithCi(new Map([["a", [true]], ["b", [true]]]), { seed: 0 });
    assert.deepEqual([all.low, all.accuracy, all.high], [1, 1, 1]);
    assert.ok(Number.isNaN(accuracyWithCi(new Map(), { seed: 0 }).accuracy));
  });

  it("interpolates quantiles", () => {
    assert.equal(quantileSorted([0, 10], 0.25), 2.5);
    assert.equal(quantileSorted([1, 2, 3], 0.5), 2);
  });
});
