import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { canonicalAnswer } from "./canonical-answer.js";

describe("canonicalAnswer", () => {
  it("gives equal answers in common forms one key", () => {
    const groups = [
      ["0.5", "\\frac12", "1/2", "\\dfrac{1}{2}", "x = 1/2"],
      ["1000", "1,000", "1{,}000", "1000.0", "\\$1,000"],
      ["x^2-4", "(x-2)(x+2)", "(x+2)(x-2)"],
      ["\\frac{\\sqrt{2}}{2}", "\\frac{1}{\\sqrt{2}}"],
      ["\\{1, 2\\}", "\\{2, 1\\}", "2, 1"],
      ["(C)", "C", "\\text{(C)}"],
      ["90^\\circ", "90"],
    ];
    for (const group of groups) {
      const keys = new Set(group.map(canonicalAnswer));
      assert.equal(keys.size, 1, `${group.join(" | ")} -> ${[...keys].join(" | ")}`);
    }
  });

  it("keeps different answers apart", () => {
    const answers = ["1/2", "1/3", "(1,2)", "(2,1)", "[0,1)", "(0,1)", "x+1", "x+2", "\\sqrt{2}", "1.4142", "C", "D"];
    assert.equal(new Set(answers.map(canonicalAnswer)).size, answers.length);
  });

  it("is deterministic and never throws on garbage", () => {
    for (const junk of ["", "}{", "\\frac{", "{".repeat(3000), "∫∂x"]) {
      assert.equal(typeof canonicalAnswer(junk), "string");
      assert.equal(canonicalAnswer(junk), canonicalAnswer(junk));
    }
  });
});
