import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { editDistance } from "./edit-distance.js";
import { pairRevisions } from "./pair-revisions.js";

const correct = ["4 + 5 = 9\nThe answer is 9", "4 + 5 = 9\nThe answer is 9"];
const wrong = ["4 * 5 = 20\nThe answer is 20", "4 + 5 = 8\nThe answer is 8", "4 - 5 = 1\nThe answer is 1", "45 = 45\nThe answer is 45", "4 + 6 = 10\nThe answer is 10"];

describe("pairRevisions", () => {
  it("pairs a correct solution with at most maxAttempts wrong ones, the closest last, reusing it for up to perProblem distinct pairs", () => {
    for (let seed = 0; seed < 40; seed++) {
      const pairs = pairRevisions(correct, wrong, { seed });
      assert.ok(pairs.length >= 1 && pairs.length <= 4);
      assert.equal(new Set(pairs.map((p) => JSON.stringify(p))).size, pairs.length, "no pair twice");
      for (const { attempts, target } of pairs) {
        assert.equal(target, correct[0]);
        assert.ok(attempts.length <= 4);
        assert.equal(new Set(attempts).size, attempts.length, "no attempt twice");
        if (attempts.length > 0) {
          const best = Math.min(...wrong.map((w) => editDistance(target, w)));
          assert.equal(editDistance(target, attempts[attempts.length - 1]!), best);
          assert.equal(attempts[attempts.length - 1], "4 + 5 = 8\nThe answer is 8");
        }
      }
    }
    assert.ok(Array.from({ length: 40 }, (_, seed) => pairRevisions(correct, wrong, { seed }).length).some((n) => n === 4));
  });

  it("draws every count from 0 to 4 across seeds", () => {
    const counts = new Set(Array.from({ length: 60 }, (_, seed) => pairRevisions(correct, wrong, { seed, perProblem: 1 })[0]!.attempts.length));
    assert.deepEqual([...counts].sort(), [0, 1, 2, 3, 4]);
  });

  it("is deterministic for a seed and caps pairs per problem", () => {
    const many = ["a\nThe answer is 1", "b\nThe answer is 1", "c\nThe answer is 1", "d\nThe answer is 1", "e\nThe answer is 1"];
    assert.deepEqual(pairRevisions(many, wrong, { seed: 3, perProblem: 2 }), pairRevisions(many, wrong, { seed: 3, perProblem: 2 }));
    assert.equal(pairRevisions(many, wrong, { seed: 3, perProblem: 2 }).length, 2);
  });

  it("gives no pairs without a correct solution and no attempts without a wrong one", () => {
    assert.deepEqual(pairRevisions([], wrong, { seed: 1 }), []);
    assert.deepEqual(pairRevisions(correct, [], { seed: 1 }), [{ attempts: [], target: correct[0] }]);
    const few = pairRevisions(correct, wrong.slice(0, 1), { seed: 1, perProblem: 8 });
    assert.ok(few.length >= 1 && few.length <= 2, "one target and one wrong solution make two distinct pairs at most");
  });
});
