import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EvalRecord, RecordedCandidate } from "../eval/eval-record.js";
import { buildCalibrationTable, winnerCorrect } from "./calibration-table.js";
import { choosePolicy } from "./choose-policy.js";
import { crossValidateSharedBudget } from "./shared-budget.js";

const cand = (answer: string, score: number, correct: boolean): RecordedCandidate => ({ text: `The answer is ${answer}`, finishReason: "end", answer, answerKey: answer, score, correct });

function record(problemId: string, budget: number, candidates: RecordedCandidate[], subsampled: boolean): EvalRecord {
  return {
    problemId,
    strategy: "weighted-best-of-n",
    budget,
    seed: 0,
    answer: null,
    answerKey: null,
    gold: "1",
    correct: winnerCorrect(candidates, "weighted"),
    candidates,
    usage: { m: { generations: candidates.length, calls: candidates.length, promptTokens: 0, cachedPromptTokens: 0, completionTokens: 10 * candidates.length, flops: 100 * candidates.length, wallMs: 0 } },
    stoppedBy: "complete",
    subsampled,
    details: {},
  };
}

/**
 * Easy problems: every sample right and confident, so four settle them. Hard ones: the first four
 * samples are scattered wrong answers, the next four agree on the right one, so only eight solve them.
 */
function records(): EvalRecord[] {
  const out: EvalRecord[] = [];
  for (let i = 0; i < 10; i++) {
    const easy = Array.from({ length: 8 }, () => cand("1", 0.8 + i / 100, true));
    const hard = [...Array.from({ length: 4 }, (_, j) => cand(String(j + 2), 0.1 + i / 100, false)), ...Array.from({ length: 4 }, () => cand("1", 0.5, true))];
    for (const [id, samples] of [[`easy${i}`, easy], [`hard${i}`, hard]] as const) {
      out.push(record(id, 8, samples, false), record(id, 4, samples.slice(0, 4), true));
    }
  }
  return out;
}

describe("compute-optimal with a shared budget (solveBatch's allocation, cross-validated)", () => {
  const table = buildCalibrationTable(records(), { probeSamples: 4 });
  const rows = crossValidateSharedBudget(table, { meanBudgets: [4, 6, 8], bins: 2 });

  it("moves the budget to the questions it helps: mean 6 solves what a fixed budget needs 8 for", () => {
    const [four, six, eight] = rows;
    assert.equal(four!.accuracy, 0.5, "four each solve only the easy half");
    assert.equal(eight!.accuracy, 1);
    const fixed = choosePolicy(table, { bins: 2 }).crossValidated;
    assert.equal(fixed.find((c) => c.budget === 4)!.accuracy, 0.5);
    assert.ok(six!.accuracy > four!.accuracy, `mean 6 (${six!.accuracy}) beats a fixed 4`);
    assert.ok(six!.generations < 7, `and spends less than a fixed 8 (${six!.generations})`);
  });

  it("never spends more than the shared budget, and gives every held-out problem a budget", () => {
    for (const row of rows) {
      assert.ok(row.generations <= row.meanBudget + 1e-9, `${row.generations} > ${row.meanBudget}`);
      assert.equal([...row.budgets.values()].reduce((a, b) => a + b, 0), table.problems.length);
      assert.ok([...row.budgets.keys()].every((b) => b >= table.probeSamples), "no problem gets less than its probe");
    }
  });
});
