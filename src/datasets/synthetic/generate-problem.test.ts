import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generateSyntheticProblem, MAX_VALUE } from "./generate-problem.js";
import { loadSynthetic } from "./load-synthetic.js";
import { readFinalAnswer } from "./read-final-answer.js";
import { syntheticAnswerReader } from "./synthetic-answer-reader.js";

const STEP = /^(\d+) ([-+*/]) (\d+) = (\d+)$/;
const problems = loadSynthetic({ levels: "1-12", count: 600, seed: 5 });

describe("synthetic reference solutions", () => {
  it("are one correct arithmetic step per line, each starting from the previous result, then the answer line", () => {
    for (const p of problems) {
      const lines = p.meta.solution;
      assert.equal(lines.length, p.level + 1);
      let value: number | undefined;
      for (const line of lines.slice(0, -1)) {
        const m = STEP.exec(line);
        assert.ok(m, `${p.id}: step ${JSON.stringify(line)}`);
        const [a, op, b, c] = [Number(m[1]), m[2], Number(m[3]), Number(m[4])];
        if (value !== undefined) assert.equal(a, value, `${p.id}: ${line} starts from the previous result`);
        const expected = op === "+" ? a + b : op === "-" ? a - b : op === "*" ? a * b : a / b;
        assert.equal(c, expected, `${p.id}: ${line}`);
        assert.ok(c >= 1 && c <= MAX_VALUE && Number.isInteger(c));
        assert.ok(p.question.includes(` ${b}`), `${p.id}: operand ${b} is stated in the question`);
        value = c;
      }
      assert.equal(String(value), p.answer);
    }
  });

  it("end with a line the answer readers read as the gold answer (solution format round trip)", () => {
    for (const p of problems) {
      const text = p.meta.solution.join("\n");
      assert.equal(readFinalAnswer(text), p.answer);
      assert.equal(syntheticAnswerReader.extract(text), p.answer);
      assert.equal(readFinalAnswer(p.meta.solution), p.answer);
    }
  });

  it("use every operation somewhere and add distractors from level 4", () => {
    const ops = new Set(problems.flatMap((p) => p.meta.steps.map((s) => s.operation)));
    assert.deepEqual([...ops].sort(), ["add", "div", "mul", "sub"]);
    assert.ok(problems.filter((p) => p.level < 4).every((p) => p.meta.distractors === 0));
    assert.ok(problems.filter((p) => p.level >= 8).every((p) => p.meta.distractors === 2 || p.meta.distractors === 3));
  });

  it("depend only on seed, level and index", () => {
    assert.deepEqual(generateSyntheticProblem({ level: 6, seed: 9, index: 4 }), generateSyntheticProblem({ level: 6, seed: 9, index: 4 }));
  });
});

describe("readFinalAnswer", () => {
  it("reads only a final answer line", () => {
    assert.equal(readFinalAnswer("1 + 2 = 3\nThe answer is 3"), "3");
    assert.equal(readFinalAnswer("The answer is 007\n"), "7");
    assert.equal(readFinalAnswer("1 + 2 = 3"), null);
    assert.equal(readFinalAnswer("The answer is 3\n1 + 2 = 3"), null);
    assert.equal(readFinalAnswer(""), null);
  });
});
