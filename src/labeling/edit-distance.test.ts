import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { editDistance } from "./edit-distance.js";

describe("editDistance", () => {
  it("counts insertions, deletions and substitutions", () => {
    assert.equal(editDistance("kitten", "sitting"), 3);
    assert.equal(editDistance("", "abc"), 3);
    assert.equal(editDistance("abc", ""), 3);
    assert.equal(editDistance("same", "same"), 0);
  });

  it("is symmetric", () => {
    assert.equal(editDistance("12 + 5 = 17\n17 - 3 = 14", "12 + 5 = 18\n18 - 3 = 15"), editDistance("12 + 5 = 18\n18 - 3 = 15", "12 + 5 = 17\n17 - 3 = 14"));
  });

  it("sees a one-digit slip as closer than a different solution", () => {
    const correct = "43 + 54 = 97\nThe answer is 97";
    assert.ok(editDistance(correct, "43 + 54 = 98\nThe answer is 98") < editDistance(correct, "43 * 5 = 215\nThe answer is 215"));
  });
});
