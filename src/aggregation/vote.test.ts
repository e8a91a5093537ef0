import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Candidate } from "../core/candidate.js";
import { aggregateStepScores } from "./aggregate-step-scores.js";
import { tallyAnswers, vote } from "./vote.js";
import { voteDecided } from "./vote-decided.js";

const c = (answerKey: string | null, score?: number): Candidate => ({ steps: [String(answerKey)], finishReason: "end", answer: answerKey, answerKey, score });

describe("vote", () => {
  const pool = [c("1", 0.9), c("2", 0.4), c("2", 0.4), c(null, 0.99), c("3", 0.3), c("2", 0.3)];

  it("majority counts answers; weighted sums scores; best takes the top score", () => {
    assert.equal(pool[vote(pool, "majority")!]!.answerKey, "2");
    assert.equal(pool[vote(pool, "weighted")!]!.answerKey, "2");
    assert.equal(pool[vote(pool, "best")!]!.answerKey, "1", "a candidate without an answer never wins");
    assert.equal(vote([c("1", 0.9), c("2", 0.5), c("2", 0.5)], "weighted"), 1, "1.0 beats 0.9; the best-scored of the winners represents it");
  });

  it("represents the winning answer by its highest-scored candidate and breaks ties by first appearance", () => {
    assert.equal(vote([c("a", 0.2), c("a", 0.7), c("b", 0.9)], "majority"), 1);
    assert.equal(vote([c("a"), c("b")], "majority"), 0);
    assert.equal(vote([c(null), c(null)], "majority"), null);
  });

  it("tallies count, weight and the representative index", () => {
    assert.deepEqual(tallyAnswers([c("x", 0.5), c("y", 0.25), c("x", 0.25)]), [
      { answerKey: "x", count: 2, weight: 0.75, best: 0.5, first: 0 },
      { answerKey: "y", count: 1, weight: 0.25, best: 0.25, first: 1 },
    ]);
  });
});

describe("voteDecided", () => {
  it("is certain when the remaining samples cannot overturn the leader", () => {
    assert.equal(voteDecided([c("a"), c("a"), c("a"), c("a")], "majority", 3, 1), true);
    assert.equal(voteDecided([c("a"), c("a"), c("a"), c("b")], "majority", 3, 1), false);
  });

  it("stops early on agreement at the chosen confidence, not on a split vote", () => {
    const agree = Array.from({ length: 6 }, () => c("7", 0.9));
    assert.equal(voteDecided(agree, "weighted", 58, 0.95), true);
    assert.equal(voteDecided([c("7", 0.9), c("8", 0.8), c("7", 0.7), c("9", 0.9)], "weighted", 60, 0.95), false);
    assert.equal(voteDecided([c(null), c(null), c("1")], "majority", 10, 0.95), false);
  });
});

describe("aggregateStepScores", () => {
  it("reduces step scores by last, min, product or mean", () => {
    const s = [0.9, 0.5, 0.8];
    assert.equal(aggregateStepScores(s, "last"), 0.8);
    assert.equal(aggregateStepScores(s, "min"), 0.5);
    assert.ok(Math.abs(aggregateStepScores(s, "prod") - 0.36) < 1e-12);
    assert.ok(Math.abs(aggregateStepScores(s, "mean") - 2.2 / 3) < 1e-12);
    assert.equal(aggregateStepScores([], "last"), 0);
  });
});
