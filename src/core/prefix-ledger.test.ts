import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PrefixLedger } from "./prefix-ledger.js";

describe("PrefixLedger", () => {
  it("charges a prompt only for the tokens past the longest prefix the request processed before", () => {
    const ledger = new PrefixLedger();
    assert.equal(ledger.admit("policy", [1, 2, 3, 4]), 4);
    assert.equal(ledger.admit("policy", [1, 2, 3, 4]), 0, "the same prompt again is a cache hit");
    assert.equal(ledger.admit("policy", [1, 2, 3, 4, 5, 6]), 2, "a continuation pays for its new tokens");
    assert.equal(ledger.admit("policy", [1, 2, 9]), 1, "a sibling shares the common prefix");
    assert.equal(ledger.admit("policy", [2, 3]), 2, "the same tokens at another position are not a prefix");
    assert.equal(ledger.admit("prm", [1, 2, 3]), 3, "each model has its own cache");
  });

  it("totals the distinct prefixes sent, whatever the order the calls ran in", () => {
    const prompts = [[1, 2, 3], [1, 2, 3, 4, 5], [1, 2, 7], [1, 2, 3, 4, 8], [6]];
    const total = (order: number[]) => {
      const ledger = new PrefixLedger();
      return order.reduce((sum, i) => sum + ledger.admit("m", prompts[i]!), 0);
    };
    // Distinct prefixes: 1, 12, 123, 1234, 12345, 127, 12348, 6.
    assert.equal(total([0, 1, 2, 3, 4]), 8);
    assert.equal(total([4, 3, 2, 1, 0]), 8);
    assert.equal(total([2, 0, 4, 1, 3]), 8);
  });
});
