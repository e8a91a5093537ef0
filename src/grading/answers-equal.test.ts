import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { answersEqual, compareAnswers, type AnswersEqualOptions } from "./answers-equal.js";

type Case = [gold: string, pred: string, equal: boolean, options?: AnswersEqualOptions];

function check(cases: Case[]): void {
  for (const [gold, pred, expected, options] of cases) {
    assert.equal(answersEqual(gold, pred, options), expected, `${JSON.stringify(gold)} vs ${JSON.stringify(pred)} ${options ? JSON.stringify(options) : ""}`);
  }
}

describe("answersEqual: numbers", () => {
  it("matches integers, decimals and fractions by value", () => {
    check([
      ["-5", "-5", true],
      ["0.4", ".4", true],
      ["1000", "1000.0", true],
      ["\\frac{1}{2}", "0.5", true],
      ["1/2", "\\frac{1}{2}", true],
      ["-10/9", "-\\frac{10}{9}", true],
      ["3", "4", false],
      ["0.5", "0.49", false],
      ["2.5", "2.49", false],
    ]);
  });

  it("reads thousands separators and tells them from tuples", () => {
    check([
      ["7425000", "7,425,000", true],
      ["1000", "1 000", true],
      ["14916", "14{,}916", true],
      ["11111111100", "11,\\! 111,\\! 111,\\! 100", true],
      ["10080", "10,\\!080", true],
      ["32349", "32, 349", false],
      ["1,234", "1234", true],
      ["1, 234", "1,234", true],
      ["2.74", "2,74", true],
      ["0.111", "0,111", true],
    ]);
  });

  it("strips percent, degree, currency and unit marks, and reads % and ° both ways", () => {
    check([
      ["28\\%", "28", true],
      ["28\\%", "0.28", true],
      ["28\\%", "28 percent", true],
      ["0.28", "28", false],
      ["0.28", "28\\%", true],
      ["28\\%", "0.28\\%", false],
      ["90^\\circ", "90", true],
      ["90^\\circ", "\\frac{\\pi}{2}", true],
      ["30^{\\circ}", "30°", true],
      ["\\$18.90", "18.9", true],
      ["18.90", "\\$18.90", true],
      ["15\\mbox{ cm}^2", "15", true],
      ["10\\text{ units}", "10", true],
      ["125", "125 miles", true],
      ["5.4 \\text{ cents}", "5.4", true],
    ]);
  });

  it("keeps big integers exact", () => {
    check([
      ["2^{100}", "1267650600228229401496703205376", true],
      ["10^{20}+1", "10^{20}", false],
      ["100!", "100!", true],
      ["\\binom{10}{3}", "120", true],
    ]);
  });

  it("accepts a decimal for an irrational or repeating value only with enough digits", () => {
    check([
      ["\\frac13", "0.3333", true],
      ["\\frac13", "0.33", false],
      ["\\frac13", "0.33", true, { precision: 2 }],
      ["\\sqrt{17}", "4.123105625617661", true],
      ["\\pi", "3.14", false],
      ["\\pi", "3.1416", true],
      ["\\frac{8}{3}", "2.6666", true],
      ["4", "4\\sqrt{2}", false, { precision: 5 }],
      ["\\frac{1}{12}", "0.0833333333333333", true, { precision: 6 }],
    ]);
  });
});

describe("answersEqual: LaTeX forms", () => {
  it("reads fraction variants, roots, pi and sizing commands", () => {
    check([
      ["\\frac{1}{3}", "\\dfrac{1}{3}", true],
      ["\\frac{1}{3}", "\\tfrac{1}{3}", true],
      ["\\frac{1}{3}", "\\cfrac{1}{3}", true],
      ["\\frac{1}{3}", "\\frac13", true],
      ["1", "\\frac3{3}", true],
      ["\\frac34", "\\frac 34", true],
      ["\\sqrt{3}", "\\sqrt3", true],
      ["2\\sqrt{5}", "\\sqrt{20}", true],
      ["\\frac{\\sqrt{2}}{2}", "\\frac{1}{\\sqrt{2}}", true],
      ["\\sqrt[3]{8}", "2", true],
      ["12\\pi", "\\pi \\cdot 12", true],
      ["\\frac{9}{4}\\pi", "\\frac94\\pi", true],
      ["(3, \\frac{\\pi}{2})", "\\left( 3, \\frac{\\pi}{2} \\right)", true],
      ["\\left(x-2\\right)\\left(x+2\\right)", "(x-2)(x+2)", true],
      ["3", "3\\,", true],
      ["\\tfrac{1}{2} +\\! \\frac1{72}", "\\\\dfrac{1}{2} +\\frac{1}{72}", true],
    ]);
  });

  it("reads mixed numbers, other bases and complex numbers", () => {
    check([
      ["1\\frac{4}{5}", "\\frac{9}{5}", true],
      ["137 \\frac{1}{2}", "137.5", true],
      ["204_5", "204_5", true],
      ["204_5", "204", true],
      ["204_5", "54", false],
      ["1+2i", "2i+1", true],
      ["6 - 5i", "6+5i", false],
    ]);
  });
});

describe("answersEqual: expressions", () => {
  it("decides symbolic equality, with free variables checked at random points", () => {
    check([
      ["(x-2)(x+2)", "x^2-4", true],
      ["\\frac{x+2}{7}", "\\frac{x}{7}+\\frac{2}{7}", true],
      ["\\tan^2(y)+1", "\\sec^2(y)", true],
      ["2 \\sin b \\cos a", "\\sin(a+b)-\\sin(a-b)", true],
      ["x^8 + x^7 + x^6 + x^5 + x^4 + x^3 + x^2 + x + 1", "\\frac{x^9-1}{x-1}", true],
      ["\\frac{1}{3\\sqrt[3]{x}^2}", "\\frac{1}{3x^{2/3}}", true],
      ["x+1", "x+2", false],
      ["(a+5)(b+2)", "(+5)(b+2)", false],
      ["x+2n+1", "x+1", false],
      ["f(x)", "f(y)", false],
      ["f(x)", "f(y)", true, { strict: false }],
    ]);
  });

  it("reads equations and inequalities", () => {
    check([
      ["x = 2", "2", true],
      ["2", "x=2", true],
      ["k=1", "1", true],
      ["y = 2x + 3", "2x - y + 3 = 0", true],
      ["x^2/4 + y^2/3 = 1", "x^2/16 + y^2/12 = 1/4", true],
      ["34x+45y-20z+100=0", "-34x-45y+20z-100=0", true],
      ["5x - 7y + 11z + 4 = 0", "x + y - z + 2 = 0", false],
      ["2x + z = 1", "1", false],
      ["x = 5+5+1 = 11", "x = 11", true],
      ["x < 1", "-x > -1", true],
      ["x < 1", "x > -1", false],
      ["x \\leq 5", "5 \\geq x", true],
      ["x \\geq 5", "x \\leq 5", false],
      ["x \\neq 3", "x != 3", true],
      ["1/3", "x=1/3\\approx0.33", true],
    ]);
  });
});

describe("answersEqual: structures", () => {
  it("compares tuples in order, sets and bare lists in any order", () => {
    check([
      ["(1,2)", "(1,2)", true],
      ["(1,2)", "(2,1)", false],
      ["\\{1,2\\}", "\\{2,1\\}", true],
      ["1,-2", "-2,1", true],
      ["10, 4, -2", "4, 10, -2", true],
      ["10, 4, -2", "4, 10, -2", false, { orderedLists: true }],
      ["(6,31,-1)", "(p,q,r) = (6,31,-1)", true],
      ["\\{1\\pm\\sqrt{5},-2\\}", "\\{-2, 1+\\sqrt{5}, 1-\\sqrt{5}\\}", true],
      ["1 \\pm \\sqrt{19}", "1-\\sqrt{19}, 1+\\sqrt{19}", true],
      ["1 \\pm \\sqrt{19}", "1+\\sqrt{19}", false],
      ["(1,3)", "{1,3}", true],
      ["(3,1)", "{1,3}", false],
    ]);
  });

  it("compares intervals with their ends, and unions in any order", () => {
    check([
      ["[0,1)", "[0,1)", true],
      ["(0,9)", "[0,9)", false],
      ["(-\\infty, 0]", "(-\\infty,0]", true],
      ["(-\\infty, 2) \\cup (3, \\infty)", "(3,\\infty)\\cup(-\\infty,2)", true],
      ["(-6, 10)", "(-6,10)", true],
      ["(\\frac{3}{5},\\frac{8}{3}]", "(0.6,2.6667]", true, { precision: 2 }],
      ["x \\in [-2,7]", "[-2,7]", true],
      ["-2 \\le x \\le 7", "[-2,7]", true],
      ["[-2,7]", "-2 \\le x \\le 7", true],
      ["[-2,7]", "-2 \\le x \\le 7", false, { allowSetRelation: false }],
    ]);
  });

  it("compares matrices entry by entry, and vectors with tuples", () => {
    check([
      ["\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix}", "\\begin{bmatrix}1 & 2 \\\\ 3 & 4\\end{bmatrix}", true],
      ["\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix}", "\\begin{pmatrix}1 & 2 \\\\ 3 & 5\\end{pmatrix}", false],
      ["\\begin{pmatrix} 1/5 \\\\ -18/5 \\end{pmatrix}", "\\begin{pmatrix} 0.2 \\\\ -3.6 \\end{pmatrix}", true],
      ["\\begin{pmatrix}6 & 8 \\\\ 10 & 12\\end{pmatrix}", "\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix} + \\begin{pmatrix}5 & 6 \\\\ 7 & 8\\end{pmatrix}", true],
      ["\\begin{pmatrix} -1 \\\\ 2 \\end{pmatrix}", "(-1, 2)", true],
    ]);
  });

  it("compares multiple-choice letters and prose", () => {
    check([
      ["(C)", "C", true],
      ["\\text{(C)}", "\\textbf{C}", true],
      ["\\text{E}", "E", true],
      ["C", "D", false],
      ["\\text{Evelyn}", "Evelyn", true],
      ["\\text{east}", "\\text{west}", false],
    ]);
  });
});

describe("answersEqual: robustness", () => {
  it("never throws on garbage and treats unparsable text by its normalised spelling", () => {
    const garbage = ["", "}{", "\\frac{", "{".repeat(5000), "\\sqrt".repeat(100), "$$$", "\\begin{pmatrix}", "((1,2)", "∫∂", "1/0", "0^{-1}"];
    for (const a of garbage) for (const b of garbage) assert.equal(typeof answersEqual(a, b), "boolean");
    assert.equal(answersEqual("∫∂", "∫∂"), true);
    assert.equal(answersEqual("", ""), false);
  });

  it("stops at the time limit and reports it", () => {
    const long = Array.from({ length: 150 }, (_, i) => `\\sqrt{${i + 2}}`).join("+");
    const result = compareAnswers(long, `${long}+0`, { timeoutMs: 0 });
    assert.deepEqual([result.equal, result.how, result.reason], [null, "timeout", "timeout"]);
  });

  it("survives huge powers and factorials without hanging", () => {
    check([
      ["10^{10^{10}}", "10^{10^{10}}+1", false],
      ["1000000!", "1000000!", true],
      ["9^{9^{9^{9}}}", "9^{9^{9^{9}}}", true],
    ]);
  });
});

describe("answersEqual: forms that state the same answer", () => {
  it("reads letters and numbers set in \\text{} as mathematics too", () => {
    check([
      ["A,D", "\\text{A,D}", true],
      ["\\text{A, D}", "D, A", true],
      ["\\text{(B)}", "B", true],
      ["A,D", "\\text{A,C}", false],
      ["\\text{Devon}", "Devon", true],
      ["\\text{yes}", "\\text{no}", false],
    ]);
  });

  it("reads an inequality chain in one variable as the interval it describes, both ways", () => {
    check([
      ["(-793, 10)", "-793 < a < 10", true],
      ["-793 < a < 10", "(-793, 10)", true],
      ["(-793, 10)", "-793 \\le a < 10", false],
      ["[2, 5)", "2 \\le x < 5", true],
      ["(-793, 10)", "-793 < a < 10", false, { allowSetRelation: false }],
    ]);
  });

  it("accepts a renamed function variable outside strict mode only", () => {
    check([
      ["f(x) = 1", "f(y) = 1", true, { strict: false }],
      ["f(x) = x^2", "f(t) = t^2", true, { strict: false }],
      ["f(x) = x^2", "f(t) = t^3", false, { strict: false }],
      ["f(x) = 1", "f(y) = 1", false],
      // One renaming for the whole answer, not one per side or per item.
      ["f(x) = x^2", "f(y) = x^2", false, { strict: false }],
      ["f(x) = x^2", "f(y) = y^2", true, { strict: false }],
      ["(x, x^2)", "(y, y^2)", true, { strict: false }],
      ["(x, x^2)", "(y, x^2)", false, { strict: false }],
      ["x + 2y", "a + 2b", true, { strict: false }],
      ["x + 2y", "2a + b", true, { strict: false }],
      ["x + 2y", "a + b", false, { strict: false }],
    ]);
  });

  it("reads a ratio against a number as its quotient", () => {
    check([
      ["3:4", "\\frac34", true],
      ["3:4", "0.75", true],
      ["\\frac{3}{4}", "3 : 4", true],
      ["3:4", "4:3", false],
      ["3:4", "\\frac43", false],
      ["3:4", "3", false],
      ["(3, 4)", "0.75", false],
    ]);
  });

  it("reads repeating decimals and scientific notation as the values they write", () => {
    check([
      ["\\frac13", "0.\\overline{3}", true],
      ["\\frac16", "0.1\\overline{6}", true],
      ["\\frac{15}{7}", "2.\\overline{142857}", true],
      ["\\frac13", "0.333...", true],
      ["\\frac16", "0.1666\\ldots", true],
      ["\\frac13", "0.3\\overline{4}", false],
      ["\\frac13", "0.33", false],
      // One digit shown once is no period: 0.3... stays 0.3.
      ["\\frac13", "0.3...", false],
      ["1500", "1.5e3", true],
      ["0.002", "2e-3", true],
      ["1500", "1.5e4", false],
      ["2000", "x2e3", false],
    ]);
  });

  it("reads Unicode mathematics as its LaTeX", () => {
    check([
      ["\\sqrt{3}", "√3", true],
      ["2\\sqrt{3}", "2√3", true],
      ["\\sqrt{12}", "√12", true],
      ["\\frac12", "½", true],
      ["2\\frac12", "2½", true],
      ["\\frac13", "⅓", true],
      ["x^2", "𝑥²", true],
      ["x_1", "x₁", true],
      ["123", "１２３", true],
      ["\\sqrt[3]{8}", "∛8", true],
      ["\\sqrt{3}", "3", false],
      ["\\frac13", "⅔", false],
      ["x^2", "𝑥³", false],
    ]);
  });

  it("reads statements of no solution as one answer", () => {
    check([
      ["\\text{no solution}", "There is no solution", true],
      ["\\emptyset", "no real solutions", true],
      ["\\text{None}", "\\varnothing", true],
      ["\\emptyset", "x = 2", false],
      ["\\text{no solution}", "\\text{infinitely many solutions}", false],
    ]);
  });

  it("takes no answer from prose around a number", () => {
    check([
      ["\\frac12", "asdf qwer 0.5 zxcv", false],
      ["5", "so we might get 5 eventually", false],
      ["125", "125 miles", true],
      ["5", "5 \\text{ square units}", true],
    ]);
    assert.equal(compareAnswers("\\frac12", "asdf qwer 0.5 zxcv").how, "unparsed");
  });
});

describe("answersEqual: outcomes", () => {
  it("reports a timeout and an undecidable pair as neither equal nor different", () => {
    const timeout = compareAnswers("x+1", "10^{500000} + x", { timeoutMs: 0 });
    assert.deepEqual([timeout.equal, timeout.how, timeout.reason], [null, "timeout", "timeout"]);
    const unknown = compareAnswers("2^{70000}", "2 \\cdot 2^{69999}");
    assert.deepEqual([unknown.equal, unknown.how], [null, "unknown"]);
    assert.equal(answersEqual("2^{70000}", "2 \\cdot 2^{69999}"), false);
  });

  it("names the rule that decided", () => {
    assert.equal(compareAnswers("\\frac12", "0.5").reason, "same exact value");
    assert.equal(compareAnswers("(1,2)", "(2,1)").reason, "items differ");
    assert.match(compareAnswers("x^2-4", "(x-2)(x+2)").reason, /^equal at \d+ random points$/);
    assert.match(compareAnswers("28\\%", "0.28").reason, /^percent as a fraction/);
    assert.equal(compareAnswers("3", "4").reason, "values differ");
    assert.equal(compareAnswers("(1, 2)", "[1, 2]").reason, "gold is a tuple, pred is an interval");
  });
});
