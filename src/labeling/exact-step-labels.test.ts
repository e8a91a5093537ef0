import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import { generateSyntheticProblem, loadSynthetic, type SyntheticStep } from "../datasets/synthetic/index.js";
import { exactStepLabels, syntheticStepJudge } from "./exact-step-labels.js";

// "Ned has 47 cards. Ned buys 27 more. Ned makes it 5 times as many. Ned splits them into 2 equal piles and keeps one."
const ned: SyntheticStep[] = [
  { operation: "add", operand: 27, before: 47, after: 74 },
  { operation: "mul", operand: 5, before: 74, after: 370 },
  { operation: "div", operand: 2, before: 370, after: 185 },
];

describe("exactStepLabels", () => {
  it("labels every line of the reference solution right, for every level", () => {
    for (const problem of loadSynthetic({ levels: "1-12", count: 240, seed: 5 })) {
      const labels = exactStepLabels(problem.meta.steps, problem.meta.solution);
      assert.deepEqual(labels.errors, problem.meta.solution.map(() => null), problem.id);
      assert.deepEqual(labels.labels, problem.meta.solution.map(() => 1));
      assert.equal(labels.firstError, -1);
    }
  });

  it("a slipped result is one wrong line; later lines that carry it on are right on their own but not as a prefix", () => {
    const labels = exactStepLabels(ned, ["47 + 27 = 84", "84 * 5 = 420", "420 / 2 = 210", "The answer is 210"]);
    assert.deepEqual(labels.errors, ["wrong-result", null, null, null]);
    assert.deepEqual(labels.right, [false, true, true, true]);
    assert.deepEqual(labels.labels, [0, 0, 0, 0]);
    assert.equal(labels.firstError, 0);
    assert.deepEqual(labels.errorAt, [10, -1, -1, -1], "the 8 of 84, where 74 was due");
  });

  it("names each way a line can be wrong", () => {
    const cases: [string[], (string | null)[]][] = [
      [["47 - 27 = 20"], ["wrong-operation"]],
      [["47 + 72 = 119"], ["wrong-operand"]],
      [["47 + 27 = 74", "47 * 5 = 235"], [null, "wrong-running-count"]],
      [["47 + 27 = 74", "74 * 5 = 370", "370 / 2 = 185", "185 + 1 = 186"], [null, null, null, "extra-step"]],
      [["47 + 27 = 74", "The answer is 74"], [null, "early-answer"]],
      [["47 + 27 = 74", "74 * 5 = 370", "370 / 2 = 185", "The answer is 186"], [null, null, null, "wrong-answer"]],
      [["47 + 27 = 74", "74 * 5 = 370", "370 / 2 = 185", "The answer is 185", "185"], [null, null, null, null, "after-answer"]],
      [["47 + 27 = 74", "seventy-four times five"], [null, "unparsable"]],
      [["47 + 27 = 74", "74 * 5 = 370", "370 / 2 = 184.5"], [null, null, "unparsable"]],
    ];
    for (const [lines, errors] of cases) {
      const labels = exactStepLabels(ned, lines);
      assert.deepEqual(labels.errors, errors, lines.join(" | "));
      const first = errors.findIndex((e) => e !== null);
      assert.equal(labels.firstError, first);
      assert.deepEqual(labels.labels, lines.map((_, i) => (i < first ? 1 : 0)));
    }
  });

  it("points at the first wrong character of a wrong line", () => {
    const at = (lines: string[]) => exactStepLabels(ned, lines).errorAt;
    assert.deepEqual(at(["47 - 27 = 20"]), [3], "the operator");
    assert.deepEqual(at(["47 + 72 = 119"]), [5], "the operand's first digit");
    assert.deepEqual(at(["47 + 27 = 74", "47 * 5 = 235"]), [-1, 0], "the running count");
    assert.deepEqual(at(["47 + 27 = 74", "74 * 5 = 3700"]), [-1, 12], "a digit too many");
    assert.deepEqual(at(["47 + 27 = 74", "The answer is 74"]), [-1, 0], "an answer where an operation was due");
    assert.deepEqual(at(["47 + 27 = 74", "74 * 5 = 370", "370 / 2 = 185", "The answer is 184"]), [-1, -1, -1, 16]);
    assert.deepEqual(at(["47 + 27 = 74", "74 * 5 = 370", "370 / 2 = 185", "The answer is 185", "185"]), [-1, -1, -1, -1, 0]);
  });

  it("accepts sums and products written the other way round, and spacing, but not a swapped difference or quotient", () => {
    assert.deepEqual(exactStepLabels(ned, ["27 + 47 = 74", "5 * 74 = 370", " 370/2=185 ", "The answer is 185"]).errors, [null, null, null, null]);
    const sub: SyntheticStep[] = [{ operation: "sub", operand: 35, before: 56, after: 21 }];
    assert.deepEqual(exactStepLabels(sub, ["35 - 56 = -21"]).errors, ["wrong-operand"]);
  });

  it("an empty solution has no labels", () => {
    assert.deepEqual(exactStepLabels(ned, []), { right: [], labels: [], firstError: -1, errors: [], errorAt: [] });
  });
});

describe("syntheticStepJudge", () => {
  it("reads the operations a synthetic problem carries", () => {
    const problem = generateSyntheticProblem({ level: 3, seed: 0, index: 0 });
    assert.deepEqual(syntheticStepJudge(problem, problem.meta.solution).labels, [1, 1, 1, 1]);
  });

  it("rejects a problem without them, naming the problem and the field", () => {
    assert.throws(() => syntheticStepJudge({ id: "math-1", question: "1+1?" }, ["2"]), (e: unknown) => e instanceof InvalidOptionError && /meta\.steps of problem math-1/.test(e.message));
    assert.throws(() => syntheticStepJudge({ id: "x", question: "q", meta: { steps: [{ operation: "pow", operand: 2, before: 1, after: 1 }] } }, ["1"]), InvalidOptionError);
  });
});
