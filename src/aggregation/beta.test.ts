import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { betaCdf, logGamma } from "./beta.js";

describe("betaCdf", () => {
  it("matches closed forms", () => {
    for (const x of [0.1, 0.3, 0.5, 0.9]) {
      assert.ok(Math.abs(betaCdf(x, 1, 1) - x) < 1e-12, "Beta(1,1) is uniform");
      assert.ok(Math.abs(betaCdf(x, 2, 1) - x * x) < 1e-12, "Beta(2,1) has CDF x²");
      assert.ok(Math.abs(betaCdf(x, 1, 3) - (1 - (1 - x) ** 3)) < 1e-12);
    }
  });

  it("is symmetric and matches a known value", () => {
    assert.ok(Math.abs(betaCdf(0.5, 7, 7) - 0.5) < 1e-12);
    assert.ok(Math.abs(betaCdf(0.4, 3, 5) + betaCdf(0.6, 5, 3) - 1) < 1e-12);
    // I_0.5(10, 3) = P(Binomial(12, 0.5) ≥ 10) = (66 + 12 + 1) / 4096
    assert.ok(Math.abs(betaCdf(0.5, 10, 3) - 79 / 4096) < 1e-12);
  });

  it("logGamma matches factorials", () => {
    for (const n of [1, 2, 5, 10, 20]) {
      let f = 1;
      for (let i = 2; i < n; i++) f *= i;
      assert.ok(Math.abs(logGamma(n) - Math.log(f)) < 1e-10);
    }
  });
});
