import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { extractionPresets } from "./extraction-presets.js";
import { caseSettings, gradePair } from "./grade-pair.js";

describe("gradePair", () => {
  it("matches multi-part answers boxed part by part, on either side", () => {
    const twoBoxes = "For (a), $n = \\boxed{5}$. For (b), the value is $\\boxed{15}$.";
    const a = gradePair("5, 15", twoBoxes, { from: "pred" });
    assert.deepEqual([a.equal, a.pred, a.reason], [true, "5, 15", "pred: every box > list in any order (an unbracketed gold list) > same expression"]);
    const b = gradePair(twoBoxes, "n = 5 and n = 15");
    assert.deepEqual([b.equal, b.gold], [true, "5, 15"]);
    assert.equal(gradePair("5, 16", twoBoxes, { from: "pred" }).equal, false);
    // The last box alone is still the answer when the gold is one value.
    assert.equal(gradePair("15", twoBoxes, { from: "pred" }).equal, true);
  });

  it("reads the gold's named answer too", () => {
    assert.equal(gradePair("So $\\boxed{E(2020,1993) = 76}$.", "The answer is 76.").equal, true);
    assert.equal(gradePair("So $\\boxed{E(2020,1993) = 76}$.", "The answer is 2020.").equal, false);
  });

  it("says which side states no answer", () => {
    const none = gradePair("7", "I could not finish this problem.");
    assert.deepEqual([none.equal, none.how, none.reason, none.pred], [false, "no-answer", "pred states no answer", null]);
    const prose = gradePair("x = 2", "Trying $x = 2$ gives $4 = 5$. \\boxed{There is no solution}");
    assert.deepEqual([prose.equal, prose.pred], [false, "There is no solution"]);
  });

  it("passes the question on to decide how lists compare", () => {
    const question = "Find all real numbers $x$ that satisfy the equation. Enter all the solutions, separated by commas.";
    assert.equal(gradePair("2, 4, 3", "\\boxed{2, 3, 4}", { options: { question } }).equal, true);
    assert.equal(gradePair("2, 4, 3", "\\boxed{2, 3, 4}").equal, false);
  });

  it("holds one time limit over extraction and comparison", () => {
    const grade = gradePair("x+1", `${"So $y = 2$. ".repeat(2000)} \\boxed{10^{500000}+x}`, { options: { timeoutMs: 0 } });
    assert.deepEqual([grade.equal, grade.how], [null, "timeout"]);
  });

  it("maps Math-Verify's settings, boxed_match_priority included", () => {
    const settings = caseSettings({ gold: "", pred: "", comparator: "compare_strings", comparator_kwargs: { boxed_match_priority: 0, match_types: ["latex"] } });
    assert.deepEqual([settings.extraction.boxedMatchPriority, settings.extraction.boxes, settings.extraction.fallback, settings.options.allowSetRelation], [0, "last", "math", false]);
    assert.deepEqual(caseSettings({ gold: "", pred: "" }).extraction, extractionPresets.math);
  });
});
