import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Candidate } from "../core/candidate.js";
import { leaderIsModeProbability, leaderShare, leadIsSafe } from "./leader-share.js";

const c = (answerKey: string | null, score?: number): Candidate => ({ steps: [], finishReason: "end", answer: answerKey, answerKey, ...(score !== undefined ? { score } : {}) });

describe("leaderShare", () => {
  it("is the leading answer's share of the votes, or of the summed scores", () => {
    const votes = [c("7", 0.9), c("7", 0.8), c("5", 0.1), c(null, 1)];
    assert.equal(leaderShare(votes, "majority"), 2 / 3, "candidates without an answer do not vote");
    assert.ok(Math.abs(leaderShare(votes, "weighted") - 1.7 / 1.8) < 1e-12);
    assert.equal(leaderShare([c("7", 0)], "weighted"), 0, "no weight, no consensus");
    assert.equal(leaderShare([], "majority"), 0);
  });
});

describe("leaderIsModeProbability", () => {
  it("is 1 − I½(v₁ + 1, v₂ + 1)", () => {
    assert.ok(Math.abs(leaderIsModeProbability([c("7"), c("7"), c("7"), c("7")]) - (1 - 0.5 ** 5)) < 1e-12);
    assert.ok(Math.abs(leaderIsModeProbability([c("7"), c("5")]) - 0.5) < 1e-12);
    // v₁ = 3, v₂ = 1: I½(4, 2) = P(Binomial(5, ½) ≥ 4) = 6/32.
    assert.ok(Math.abs(leaderIsModeProbability([c("7"), c("5"), c("7"), c("9"), c("7")]) - (1 - 6 / 32)) < 1e-12);
    assert.equal(leaderIsModeProbability([c(null)]), 0);
  });
});

describe("leadIsSafe", () => {
  it("is true once the remaining samples cannot overturn the lead", () => {
    assert.equal(leadIsSafe([c("7"), c("7"), c("7"), c("5")], 1), true);
    assert.equal(leadIsSafe([c("7"), c("7"), c("7"), c("5")], 2), false);
    assert.equal(leadIsSafe([], 0), true);
  });
});
