import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { metricRecord } from "../../../test/metric-record.js";
import { compareRuns } from "./compare-runs.js";

describe("compareRuns", () => {
  const ids = Array.from({ length: 40 }, (_, i) => `p${i}`);
  // Run b is right on every problem a is right on, and on p20–p25 as well.
  const a = ids.flatMap((id, i) => [metricRecord(id, "majority", 1, i < 20), metricRecord(id, "majority", 4, i < 20), metricRecord(id, "beam-search", 4, i < 10)]);
  const b = ids.flatMap((id, i) => [metricRecord(id, "majority", 1, i < 26), metricRecord(id, "majority", 4, i < 26), metricRecord(id, "dvts", 4, i < 30)]);

  it("pairs the cells both runs hold and leaves the others unpaired", () => {
    const c = compareRuns(a, b);
    assert.deepEqual(c.cells.map((x) => [x.strategy, x.budget, x.difference !== null]), [
      ["majority", 1, true],
      ["majority", 4, true],
      ["beam-search", 4, false],
      ["dvts", 4, false],
    ]);
    const d = c.cells[1]!.difference!;
    assert.equal(d.paired, true);
    assert.ok(Math.abs(d.difference - 6 / 40) < 1e-12);
    assert.ok(d.low > 0, "b never loses a problem a solves, so the paired interval excludes 0");
    assert.deepEqual(c.problems, { a: 40, b: 40, shared: 40 });
    assert.deepEqual(c.headline?.cells.map((x) => x.strategy), ["majority"]);
    assert.equal(c.headline?.budget, 4);
  });
});
