import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { oracleBins, predictedBins, quantileBins } from "./difficulty-bins.js";
import { metricRecord } from "../../../test/metric-record.js";

describe("difficulty bins", () => {
  it("splits problems into equal quantile bins, easiest (highest value) first", () => {
    const values = new Map(Array.from({ length: 10 }, (_, i) => [`p${i}`, i / 10]));
    const bins = quantileBins(values, 5);
    assert.deepEqual(bins.map((b) => `${b.problemId}:${b.bin}`), ["p9:1", "p8:1", "p7:2", "p6:2", "p5:3", "p4:3", "p3:4", "p2:4", "p1:5", "p0:5"]);
  });

  it("takes the oracle's pass@1 from the majority samples at the largest budget, all seeds pooled", () => {
    const records = [
      metricRecord("easy", "majority", 4, true, { samples: [true, true, true, false] }),
      metricRecord("easy", "majority", 4, true, { seed: 1, samples: [true, true, true, true] }),
      metricRecord("easy", "majority", 2, true, { samples: [false, false] }),
      metricRecord("hard", "majority", 4, false, { samples: [false, false, false, true] }),
    ];
    const bins = oracleBins(records, 2)!;
    assert.deepEqual(bins, [{ problemId: "easy", value: 7 / 8, bin: 1 }, { problemId: "hard", value: 1 / 4, bin: 2 }]);
  });

  it("predicts difficulty from mean verifier scores without gold answers, and needs a scored sampling run", () => {
    const records = [
      metricRecord("a", "weighted-best-of-n", 2, false, { samples: [false, false], score: 0.9 }),
      metricRecord("b", "weighted-best-of-n", 2, true, { samples: [true, true], score: 0.2 }),
    ];
    assert.deepEqual(predictedBins(records, 2)!.map((b) => [b.problemId, b.bin, b.value]), [["a", 1, 0.9], ["b", 2, 0.2]]);
    assert.equal(predictedBins([metricRecord("a", "majority", 2, true, { samples: [true] })]), null);
  });
});
