import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareAnswers, type AnswersEqualOptions } from "./answers-equal.js";

type Case = [gold: string, pred: string, equal: boolean, options?: AnswersEqualOptions];

function check(cases: Case[]): void {
  for (const [gold, pred, expected, options] of cases) {
    const result = compareAnswers(gold, pred, options);
    assert.equal(result.equal, expected, `${gold} vs ${pred} ${JSON.stringify(options ?? {})}: ${result.reason}`);
  }
}

describe("order of unbracketed lists", () => {
  it("reads an unsorted gold of three or more values as a sequence", () => {
    check([
      ["2,4,3", "2,3,4", false],
      ["2,4,3", "2,4,3", true],
      ["5, 1, 3, 2", "1, 2, 3, 5", false],
      ["1, 2, 3", "3, 2, 1", true],
      ["10, 4, -2", "4, 10, -2", true],
      ["1, -2", "-2, 1", true],
    ]);
    assert.match(compareAnswers("2,4,3", "2,3,4").reason, /in order \(the gold lists 3\+ values out of sorted order\)/);
    assert.match(compareAnswers("1, -2", "-2, 1").reason, /in any order \(an unbracketed gold list\)/);
  });

  it("lets the question decide when it asks for an order or for a collection", () => {
    const increasing = "List the three numbers in increasing order, separated by commas.";
    const roots = "Find all the roots of the polynomial. Enter all the roots, separated by commas.";
    check([
      ["1, 2, 3", "3, 2, 1", false, { question: increasing }],
      ["1, 2", "2, 1", false, { question: "Find a and b, respectively." }],
      ["2, 4, 3", "2, 3, 4", true, { question: roots }],
      ["2, 4, 3", "3, 4, 2", true, { question: "Which of the following are true? Enter the letters." }],
    ]);
    assert.match(compareAnswers("1, 2, 3", "3, 2, 1", { question: increasing }).reason, /the question asks for an order/);
    assert.match(compareAnswers("2, 4, 3", "2, 3, 4", { question: roots }).reason, /the question asks for a collection/);
  });

  it("follows the setting over the question and the gold's form", () => {
    check([
      ["1, 2", "2, 1", false, { orderedLists: true }],
      ["2, 4, 3", "2, 3, 4", true, { orderedLists: false }],
    ]);
  });

  it("matches named values by name, and bare values in the gold's order", () => {
    check([
      ["a = 2, b = 4", "b = 4, a = 2", true],
      ["a = 2, b = 4", "2, 4", true],
      ["a = 2, b = 4", "4, 2", false],
      ["x = 1, y = 2", "x = 2, y = 1", false],
    ]);
  });

  it("keeps tuples ordered and sets unordered whatever the question says", () => {
    check([
      ["(1, 2)", "(2, 1)", false, { question: "Find all solutions." }],
      ["\\{1, 2, 3\\}", "\\{3, 1, 2\\}", true, { question: "in increasing order" }],
    ]);
  });
});
