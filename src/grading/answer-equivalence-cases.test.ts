import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { sharedDataPath } from "../datasets/shared-data.js";
import { caseSettings, gradePair, type GradingCase } from "./grade-pair.js";

interface LabelledCase extends GradingCase {
  equal: boolean;
  line: number;
  source_file: string;
}

function readCases(): LabelledCase[] {
  const text = readFileSync(sharedDataPath("answer-equivalence/cases.jsonl"), "utf8");
  return text.trim().split("\n").map((l) => JSON.parse(l) as LabelledCase);
}

function agreement(cases: LabelledCase[], withSettings: boolean): { agree: number; misses: string[] } {
  const misses: string[] = [];
  let agree = 0;
  cases.forEach((c, i) => {
    const grade = gradePair(c.gold, c.pred, withSettings ? caseSettings(c) : {});
    if (grade.equal === c.equal) agree++;
    else misses.push(`case ${i + 1} (${c.source_file}:${c.line}) label ${c.equal}: ${JSON.stringify(grade.gold)} vs ${JSON.stringify(grade.pred)}`);
  });
  return { agree, misses };
}

describe("answer-equivalence cases (../shared/data/answer-equivalence/cases.jsonl)", () => {
  it("agrees with at least 97% of the labels under each case's grader settings", (t) => {
    const cases = readCases();
    const { agree, misses } = agreement(cases, true);
    t.diagnostic(`agreement with settings: ${agree}/${cases.length} = ${((100 * agree) / cases.length).toFixed(2)}%`);
    for (const m of misses) t.diagnostic(m);
    assert.equal(cases.length, 216);
    assert.ok(agree / cases.length >= 0.97, misses.join("\n"));
  });

  it("disagrees under default settings only where a case's setting decides its label", (t) => {
    const cases = readCases();
    const { agree, misses } = agreement(cases, false);
    t.diagnostic(`agreement with default settings: ${agree}/${cases.length} = ${((100 * agree) / cases.length).toFixed(2)}%`);
    for (const m of misses) t.diagnostic(m);
    const settingDependent = misses.filter((m) => {
      const i = Number(/case (\d+)/.exec(m)![1]) - 1;
      const c = cases[i]!;
      const kw = c.comparator_kwargs ?? {};
      // Math-Verify takes one answer from a text (the last box and those joined to it); ponder also tries every box.
      const severalBoxes = /compare_strings/.test(c.comparator ?? "") && (c.gold.match(/\\boxed/g)?.length ?? 0) > 1;
      return kw.precision !== undefined || kw.strict !== undefined || kw.allow_set_relation_comp !== undefined || /is_equiv/.test(c.comparator ?? "") || JSON.stringify(kw.match_types) === '["latex"]' || severalBoxes;
    });
    assert.deepEqual(settingDependent, misses);
  });
});
