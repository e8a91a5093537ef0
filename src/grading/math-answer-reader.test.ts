import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { answerReaderFor, mathAnswerReader } from "./math-answer-reader.js";

describe("mathAnswerReader", () => {
  it("reads the demo models' answer line and keys it", () => {
    const text = ["3 + 4 = 7", "7 * 2 = 14", "The answer is 14"].join("\n");
    const answer = mathAnswerReader.extract(text);
    assert.equal(answer, "14");
    assert.equal(mathAnswerReader.canonical(answer!), mathAnswerReader.canonical("14.0"));
  });

  it("groups candidates that state the same answer differently", () => {
    const solutions = ["... so $\\boxed{\\frac{1}{2}}$.", "The answer is 0.5", "Answer: 1/2", "The answer is 2"];
    const keys = solutions.map((s) => mathAnswerReader.canonical(mathAnswerReader.extract(s)!));
    assert.deepEqual(keys.slice(0, 3).every((k) => k === keys[0]), true);
    assert.notEqual(keys[3], keys[0]);
  });

  it("chooses the GSM8K reader by dataset name", () => {
    assert.equal(answerReaderFor("gsm8k").extract("Total is 5 + 3 = 8\n#### 8"), "8");
    assert.equal(answerReaderFor("math500").extract("we get $\\boxed{3}$"), "3");
  });
});
