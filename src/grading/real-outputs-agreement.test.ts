import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { sharedDataPath } from "../datasets/shared-data.js";
import { compareAnswers } from "./answers-equal.js";
import { extractAnswer } from "./extract-answer.js";
import { extractionPresets } from "./extraction-presets.js";
import { gradePair } from "./grade-pair.js";

function readJsonl<T>(relative: string): T[] {
  return readFileSync(sharedDataPath(relative), "utf8").trim().split("\n").map((l) => JSON.parse(l) as T);
}

const percent = (a: number, n: number) => `${a}/${n} = ${((100 * a) / n).toFixed(2)}%`;

describe("agreement with real model outputs (../shared/data)", () => {
  it("GSM8K example solutions: extraction plus grading agrees with is_correct on at least 98.5%", (t) => {
    type Solution = { is_correct: boolean; solution: string };
    const rows = readJsonl<Record<string, unknown> & { ground_truth: string }>("gsm8k/example_model_solutions.jsonl");
    let n = 0;
    let agree = 0;
    for (const row of rows) {
      for (const model of ["6b_finetuning", "6b_verification", "175b_finetuning", "175b_verification"]) {
        const s = row[model] as Solution | undefined;
        if (!s) continue;
        n++;
        const grade = gradePair(row.ground_truth, s.solution, { extraction: extractionPresets.gsm8k });
        if (grade.equal === s.is_correct) agree++;
        else t.diagnostic(`disagree: label ${s.is_correct}, gold ${grade.gold}, pred ${grade.pred}`);
      }
    }
    t.diagnostic(`gsm8k agreement: ${percent(agree, n)}`);
    assert.equal(n, 5276);
    assert.ok(agree / n >= 0.985);
  });

  it("Qwen2.5-Math samples: grading the sampled responses agrees with score on at least 97%", (t) => {
    type Row = { idx: number; gt: string; code: string[]; score: boolean[] };
    const rows = readJsonl<Row>("qwen-math-samples/math_cot_100.jsonl");
    let n = 0;
    let agree = 0;
    for (const row of rows) {
      row.code.forEach((response, i) => {
        n++;
        const grade = gradePair(row.gt, response, { from: "pred" });
        if (grade.equal === row.score[i]) agree++;
        else t.diagnostic(`disagree: problem ${row.idx} sample ${i}, label ${row.score[i]}, gold ${JSON.stringify(row.gt)}, pred ${JSON.stringify(grade.pred)}`);
      });
    }
    t.diagnostic(`qwen samples agreement: ${percent(agree, n)}`);
    assert.equal(n, 800);
    assert.ok(agree / n >= 0.97);
  });

  it("MATH-500: every gold answer parses and equals itself, and equals its solution's boxed answer (at least 99%)", (t) => {
    type Row = { answer: string; solution: string; unique_id: string };
    const rows = readJsonl<Row>("math500/test.jsonl");
    let parsed = 0;
    let self = 0;
    let boxed = 0;
    for (const row of rows) {
      const c = compareAnswers(row.answer, row.answer);
      if (c.how === "compared") parsed++;
      if (c.equal) self++;
      const fromSolution = extractAnswer(row.solution);
      if (fromSolution !== null && compareAnswers(row.answer, fromSolution).equal) boxed++;
      else t.diagnostic(`${row.unique_id}: gold ${JSON.stringify(row.answer)}, boxed ${JSON.stringify(fromSolution)}`);
    }
    t.diagnostic(`math500: parsed ${parsed}/500, self-equal ${self}/500, equal to boxed ${percent(boxed, rows.length)}`);
    assert.equal(rows.length, 500);
    assert.equal(parsed, 500);
    assert.equal(self, 500);
    assert.ok(boxed / rows.length >= 0.99);
  });
});
