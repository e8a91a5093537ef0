import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { sharedDataPath } from "../datasets/shared-data.js";
import { compareAnswers } from "./answers-equal.js";
import { extractAnswer } from "./extract-answer.js";
import { extractionPresets } from "./extraction-presets.js";
import { agreementOn, formatAgreement, gsm8kSolutions, qwenMathSamples } from "./labelled-outputs.js";

function readJsonl<T>(relative: string): T[] {
  return readFileSync(sharedDataPath(relative), "utf8").trim().split("\n").map((l) => JSON.parse(l) as T);
}

const percent = (a: number, n: number) => `${a}/${n} = ${((100 * a) / n).toFixed(2)}%`;

describe("agreement with real model outputs (../shared/data)", () => {
  it("GSM8K example solutions: extraction plus grading agrees with is_correct on at least 98.5%, with no more than 0.2% false \"equal\"", (t) => {
    const a = agreementOn("gsm8k", gsm8kSolutions());
    t.diagnostic(formatAgreement(a));
    for (const m of a.misses) t.diagnostic(`disagree: ${m.pair.id}, label ${m.pair.label}, gold ${m.grade.gold}, pred ${m.grade.pred} (${m.grade.reason})`);
    assert.equal(a.n, 5276);
    assert.ok(a.agree / a.n >= 0.985);
    assert.ok(a.falseEqual / a.n <= 0.002);
  });

  it("Qwen2.5-Math samples: grading the sampled responses agrees with score on at least 97%", (t) => {
    const a = agreementOn("qwen", qwenMathSamples());
    t.diagnostic(formatAgreement(a));
    for (const m of a.misses) t.diagnostic(`disagree: ${m.pair.id}, label ${m.pair.label}, gold ${JSON.stringify(m.grade.gold)}, pred ${JSON.stringify(m.grade.pred)} (${m.grade.reason})`);
    assert.equal(a.n, 800);
    assert.ok(a.agree / a.n >= 0.97);
    // The one false "equal" is a label error: Qwen's grader fails `10{,}000` against `10000`.
    assert.ok(a.falseEqual <= 1);
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
