import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { computeOptimal, paretoFrontier } from "./compute-optimal.js";
import { metricRecord } from "../../../test/metric-record.js";

describe("compute-optimal", () => {
  it("chooses per bin on one fold and scores on the other: a strategy best in every problem of a bin wins it", () => {
    const ids = Array.from({ length: 8 }, (_, i) => `p${i}`);
    const bins = ids.map((id, i) => ({ problemId: id, bin: i < 4 ? 1 : 2, value: 0 }));
    // Bin 1: majority always right, beam never; bin 2: the other way round.
    const records = ids.flatMap((id, i) => [metricRecord(id, "majority", 4, i < 4), metricRecord(id, "beam-search", 4, i >= 4)]);
    const [point] = computeOptimal(records, bins, 7);
    assert.equal(point!.accuracy, 1);
    assert.deepEqual(point!.choices, { 1: "majority", 2: "beam-search" });
  });

  it("keeps the frontier of points with more accuracy for no more compute", () => {
    const points = [
      { compute: 1, accuracy: 0.2 },
      { compute: 2, accuracy: 0.1 },
      { compute: 2, accuracy: 0.4 },
      { compute: 4, accuracy: 0.3 },
      { compute: 8, accuracy: 0.5 },
    ];
    assert.deepEqual(paretoFrontier(points).map((p) => p.compute), [1, 2, 8]);
  });
});
