import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { summarizeRun } from "./summarize-run.js";
import { metricRecord } from "../../../test/metric-record.js";

describe("summarizeRun", () => {
  const ids = Array.from({ length: 10 }, (_, i) => `p${i}`);
  // Problem i is solved by i+1 of 10 samples; majority at 1 is right on p5–p9, at 4 on p3–p9.
  const records = ids.flatMap((id, i) => [
    metricRecord(id, "majority", 1, i >= 5, { samples: [i >= 5], flops: 100, level: 1 + (i % 2) }),
    metricRecord(id, "majority", 4, i >= 3, { samples: Array.from({ length: 10 }, (_, k) => k <= i), flops: 400, level: 1 + (i % 2) }),
  ]);
  const baseline = ids.map((id, i) => metricRecord(id, "greedy", 1, i >= 4, { model: "large", flops: 300 }));

  it("reports accuracy with intervals and mean compute per strategy × budget", () => {
    const s = summarizeRun(records);
    assert.deepEqual(s.cells.map((c) => [c.strategy, c.budget, c.accuracy.accuracy, c.compute.flops, c.compute.generations]), [
      ["majority", 1, 0.5, 100, 1],
      ["majority", 4, 0.7, 400, 4],
    ]);
    assert.ok(s.cells.every((c) => c.accuracy.low <= c.accuracy.accuracy && c.accuracy.accuracy <= c.accuracy.high));
  });

  it("bins by oracle pass@1 and by the dataset's level", () => {
    const s = summarizeRun(records);
    assert.deepEqual(s.bins.oracle!.filter((b) => b.bin === 1).map((b) => b.problemId), ["p9", "p8"]);
    const hardest = s.byBin.find((c) => c.binning === "oracle" && c.bin === 5 && c.budget === 4)!;
    assert.equal(hardest.accuracy.accuracy, 0, "p0 and p1 are never solved");
    assert.deepEqual([...new Set(s.byBin.filter((c) => c.binning === "level").map((c) => c.bin))], [1, 2]);
    assert.equal(s.flopsMatched, null);
    assert.match(s.flopsMatchedNote!, /--baseline/);
  });

  it("compares with a larger model's greedy accuracy at matched FLOPs", () => {
    const s = summarizeRun(records, { baseline, ratios: [100, 1] });
    const m = s.flopsMatched!;
    assert.equal(m.parameterRatio, 3, "300 vs 100 FLOPs for the same tokens");
    assert.equal(m.largeAccuracy.accuracy, 0.6);
    // R = 100 allows 3.06× one solution: only budget 1 (0.5 < 0.6); R = 1 allows 9×: budget 4 (0.7).
    assert.deepEqual(m.rows.map((r) => [r.small?.budget, r.winner]), [[1, "large"], [4, "small"]]);
    assert.equal(m.byBin.length, 5);
  });
});
