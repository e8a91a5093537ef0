import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { accuracyWithCi } from "./bootstrap-accuracy.js";
import { pairedDifference } from "./paired-difference.js";

describe("pairedDifference", () => {
  // 60 problems of mixed difficulty; b solves exactly the problems a solves plus every tenth other.
  const ids = Array.from({ length: 60 }, (_, i) => `p${i}`);
  const a = new Map(ids.map((id, i) => [id, [i % 2 === 0]]));
  const b = new Map(ids.map((id, i) => [id, [i % 2 === 0 || i % 10 === 1]]));

  it("pairs problems: a consistent gain has a narrow interval above 0, though the separate intervals overlap", () => {
    const d = pairedDifference(a, b, { seed: 0 });
    assert.equal(d.paired, true);
    assert.equal(d.problems, 60);
    assert.ok(Math.abs(d.difference - 6 / 60) < 1e-12);
    assert.ok(d.low > 0, `paired interval ${d.low}–${d.high} excludes 0`);
    const [ea, eb] = [accuracyWithCi(a, { seed: 0 }), accuracyWithCi(b, { seed: 0 })];
    assert.ok(eb.low < ea.high, "the two separate intervals overlap");
    assert.deepEqual(pairedDifference(a, b, { seed: 0 }), d, "the seed fixes the interval");
  });

  it("pairs only the problems both sides answered", () => {
    const half = new Map([...b].slice(0, 30));
    assert.equal(pairedDifference(a, half, { seed: 0 }).problems, 30);
  });

  it("resamples each side on its own when no problem is shared", () => {
    const other = new Map([...b].map(([id, o]) => [`q-${id}`, o]));
    const d = pairedDifference(a, other, { seed: 0 });
    assert.equal(d.paired, false);
    assert.ok(Math.abs(d.difference - 6 / 60) < 1e-12);
    assert.ok(d.low < 0 && d.high > 0.15, `unpaired interval ${d.low}–${d.high} is wide`);
  });
});
