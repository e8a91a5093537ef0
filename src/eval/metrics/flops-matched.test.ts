import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { flopsMatchedMultiplier, flopsMatchedRows } from "./flops-matched.js";

describe("FLOPs-matched comparison", () => {
  it("matches a larger model with M + 3(M − 1)/R times the smaller model's inference", () => {
    assert.equal(flopsMatchedMultiplier(14, 1), 14 + 39);
    assert.equal(flopsMatchedMultiplier(2, 0.5), 2 + 6);
    assert.equal(flopsMatchedMultiplier(1, 0.1), 1, "equal models: no extra compute");
    assert.throws(() => flopsMatchedMultiplier(0.5, 1), /parameterRatio/);
  });

  it("picks the most accurate small-model point within each allowance and names the winner", () => {
    const points = [
      { strategy: "majority", budget: 1, accuracy: 0.3, flops: 100 },
      { strategy: "majority", budget: 4, accuracy: 0.5, flops: 400 },
      { strategy: "beam-search", budget: 4, accuracy: 0.55, flops: 600 },
      { strategy: "majority", budget: 16, accuracy: 0.6, flops: 1600 },
    ];
    // M = 3: R = 10 allows 3.6× (360 FLOPs), R = 1 allows 9× (900), R = 0.1 allows 63× (6300).
    const rows = flopsMatchedRows({ points, smallGreedyFlops: 100, parameterRatio: 3, largeAccuracy: 0.52, ratios: [10, 1, 0.1] });
    assert.deepEqual(rows.map((r) => [r.r, Math.round(r.flopsAllowed), r.small?.strategy, r.small?.budget, r.winner, r.allowanceUnused]), [
      [10, 360, "majority", 1, "large", false],
      [1, 900, "beam-search", 4, "small", false],
      [0.1, 6300, "majority", 16, "small", true],
    ]);
  });
});
