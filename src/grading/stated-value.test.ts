import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareAnswers } from "./answers-equal.js";

type Case = [gold: string, pred: string, equal: boolean];

function check(cases: Case[]): void {
  for (const [gold, pred, expected] of cases) {
    const result = compareAnswers(gold, pred);
    assert.equal(result.equal, expected, `${gold} vs ${pred}: ${result.reason}`);
  }
}

describe("named left sides", () => {
  it("reads an equation that names a quantity as stating its value", () => {
    check([
      ["10", "AB = 10", true],
      ["12", "x^3 = 12", true],
      ["16", "|r-s| = 16", true],
      ["1", "A:B = 1", true],
      ["15", "y = 15", true],
      ["76", "E(2020,1993) = 76", true],
      ["7", "a + b = 7", true],
      ["\\frac{3}{4}", "\\frac{m}{n} = \\frac34", true],
      ["30", "\\angle ABC = 30", true],
      ["10", "AB = BC = 10", true],
    ]);
    assert.match(compareAnswers("10", "AB = 10").reason, /^named left side dropped/);
  });

  it("keeps the value it states: a wrong value stays wrong", () => {
    check([
      ["10", "AB = 11", false],
      ["12", "x^3 = 13", false],
      ["1", "A:B = 2", false],
      ["76", "E(2020,1993) = 77", false],
    ]);
  });

  it("does not read equations to solve, or gold curves, as values", () => {
    check([
      ["7", "2x + 3 = 7", false],
      ["4", "xy = 4", true],
      ["xy = 4", "4", false],
      ["x^2 + y^2 = 25", "25", false],
      ["E(2020,1993) = 76", "76", true],
      ["x = 5", "5", true],
    ]);
  });

  it("reads a labelled point as its coordinates", () => {
    check([
      ["(1, 2)", "P(1, 2)", true],
      ["(1, 2)", "P(2, 1)", false],
    ]);
  });
});
