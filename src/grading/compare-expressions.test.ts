import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareAnswers } from "./answers-equal.js";
import { regimesFor } from "./compare-expressions.js";
import { parseAnswer } from "./parse-answer.js";

type Case = [gold: string, pred: string, equal: boolean | null];

function check(cases: Case[]): void {
  for (const [gold, pred, expected] of cases) {
    const result = compareAnswers(gold, pred, { cas: false });
    assert.equal(result.equal, expected, `${gold} vs ${pred}: ${result.reason}`);
  }
}

const node = (text: string) => {
  const a = parseAnswer(text)[0]!;
  assert.equal(a.kind, "expr");
  return (a as { node: import("./math-node.js").MathNode }).node;
};

describe("random points that cover the functions involved", () => {
  it("checks step and integer functions at integer and wide points too", () => {
    assert.deepEqual(regimesFor(node("x^2+1")), ["mixed", "positive"]);
    assert.deepEqual(regimesFor(node("\\lfloor n/2 \\rfloor")), ["mixed", "positive", "integer", "wide"]);
    assert.deepEqual(regimesFor(node("\\binom{n}{2}")), ["mixed", "positive", "integer", "wide"]);
  });

  it("tells apart step functions that agree near 1", () => {
    check([
      ["\\lfloor n/2 \\rfloor", "\\lfloor \\sqrt{n-1} \\rfloor", false],
      ["\\lfloor x \\rfloor", "x", false],
      ["\\lceil x \\rceil", "\\lfloor x \\rfloor", false],
      ["\\lfloor n/2 \\rfloor", "\\lfloor (n+1)/2 \\rfloor", false],
      ["n!", "n^2", false],
      ["\\binom{n}{2}", "\\binom{n}{3}", false],
    ]);
  });

  it("still finds step and integer functions equal when they are", () => {
    check([
      ["\\lfloor x \\rfloor + 1", "\\lfloor x + 1 \\rfloor", true],
      ["\\binom{n}{2}", "\\frac{n(n-1)}{2}", true],
      ["n!", "n \\cdot (n-1)!", true],
      ["\\lceil x \\rceil", "-\\lfloor -x \\rfloor", true],
      ["|x|^2", "x^2", true],
      ["\\sqrt{x^2}", "|x|", true],
      ["\\sqrt{x^2}", "x", false],
    ]);
  });
});

describe("i as the imaginary unit", () => {
  it("evaluates complex values when real points cannot decide", () => {
    check([
      ["\\sqrt{-1}", "i", true],
      ["\\sqrt{-3}", "i\\sqrt{3}", true],
      ["(1+i)^2", "2i", true],
      ["\\frac{1}{i}", "-i", true],
      ["e^{i\\pi/3}", "\\frac12+\\frac{\\sqrt3}{2}i", true],
      ["\\sqrt{-1}", "-i", false],
      ["(1+i)^2", "2", false],
      ["3 - 4i", "3 + 4i", false],
    ]);
  });
});

describe("periodic families of solutions", () => {
  it("matches families whose offsets differ by a period", () => {
    check([
      ["x = \\frac{\\pi}{2} + 2k\\pi", "x = \\frac{5\\pi}{2} + 2k\\pi", true],
      ["\\frac{\\pi}{4} + k\\pi", "-\\frac{3\\pi}{4} + k\\pi", true],
      ["2k\\pi", "2n\\pi", true],
      ["k\\pi", "-k\\pi", true],
      ["30^\\circ + 360^\\circ k", "390^\\circ + 360^\\circ k", true],
    ]);
  });

  it("keeps different families, and sequences in n, apart", () => {
    check([
      ["\\frac{\\pi}{4} + k\\pi", "\\frac{\\pi}{4} + 2k\\pi", false],
      ["k\\pi", "\\frac{k\\pi}{2}", false],
      ["\\frac{\\pi}{2} + 2k\\pi", "-\\frac{\\pi}{2} + 2k\\pi", false],
      ["2n+1", "2n-1", false],
    ]);
  });
});
