import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { addQ, approximateRational, cmpQ, divQ, formatQ, isDecimalWithin, parseDecimalQ, powQ, rational, toNumberQ } from "./rational.js";

describe("rational", () => {
  it("reduces and keeps the sign on the numerator", () => {
    assert.equal(formatQ(rational(6n, -4n)), "-3/2");
    assert.equal(formatQ(addQ(rational(1n, 3n), rational(1n, 6n))), "1/2");
    assert.equal(divQ(rational(1n), rational(0n)), null);
  });

  it("parses decimals exactly and knows which decimals end", () => {
    assert.equal(formatQ(parseDecimalQ("-12.50")!), "-25/2");
    assert.equal(formatQ(parseDecimalQ(".4")!), "2/5");
    assert.equal(parseDecimalQ("1.2.3"), null);
    assert.equal(isDecimalWithin(rational(1n, 8n), 3), true);
    assert.equal(isDecimalWithin(rational(1n, 3n), 40), false);
  });

  it("refuses powers too large to keep exact", () => {
    assert.equal(formatQ(powQ(rational(2n), 100n)!), (2n ** 100n).toString());
    assert.equal(powQ(rational(3n), 100_000n), null);
    assert.equal(cmpQ(rational(10n ** 20n + 1n), rational(10n ** 20n)), 1);
    assert.equal(toNumberQ(rational(10n ** 400n, 10n ** 399n)), 10);
  });

  it("recovers small fractions from floating point", () => {
    assert.equal(formatQ(approximateRational(0.1 + 0.2)!), "3/10");
    assert.equal(approximateRational(Math.SQRT2), null);
  });
});
