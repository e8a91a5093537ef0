import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runPonder } from "../../../test/run-cli.js";
import { loadSynthetic } from "../../datasets/synthetic/index.js";
import { syntheticAnswerReader } from "../../datasets/synthetic/synthetic-answer-reader.js";
import type { RevisionRecord } from "../../labeling/build-revisions.js";
import type { StepLabelRecord } from "../../labeling/label-steps.js";

const lines = <T>(file: string): T[] => readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l) as T);
const answerOf = (text: string) => {
  const a = syntheticAnswerReader.extract(text);
  return a === null ? null : syntheticAnswerReader.canonical(a);
};

test("ponder label --revisions: wrong attempts (the last the closest) then a correct target, the same lines for the same seeds, and a finished run resumes to nothing", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ponder-label-"));
  const args = ["label", "--revisions", "--levels", "4", "--count", "4", "--samples", "8", "--per-problem", "3", "--problem-seed", "3000"];
  const first = await runPonder([...args, "--out", join(dir, "a.jsonl")]);
  assert.equal(first.code, 0, first.stderr);
  const records = lines<RevisionRecord>(join(dir, "a.jsonl"));
  assert.ok(records.length > 0, "4 level-4 problems at 8 samples give trajectories");
  const gold = new Map(loadSynthetic({ levels: "4", count: 4, seed: 3000 }).map((p) => [p.id, p]));
  const perProblem = new Map<string, number>();
  for (const r of records) {
    const problem = gold.get(r.problemId)!;
    assert.equal(r.question, problem.question);
    assert.equal(answerOf(r.target), syntheticAnswerReader.canonical(problem.answer!), "the target is right");
    assert.ok(r.attempts.length <= 4);
    for (const attempt of r.attempts) assert.notEqual(answerOf(attempt), syntheticAnswerReader.canonical(problem.answer!), "every attempt is wrong");
    perProblem.set(r.problemId, (perProblem.get(r.problemId) ?? 0) + 1);
  }
  assert.ok(Math.max(...perProblem.values()) <= 3, "--per-problem caps a problem's trajectories");
  assert.equal(new Set(records.map((r) => JSON.stringify(r))).size, records.length, "no trajectory twice");

  const again = await runPonder([...args, "--out", join(dir, "b.jsonl")]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(readFileSync(join(dir, "b.jsonl"), "utf8"), readFileSync(join(dir, "a.jsonl"), "utf8"));
  const resumed = await runPonder([...args, "--out", join(dir, "a.jsonl")]);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, /resuming, 4 problems already done, 0 to go/);
  assert.equal(lines<RevisionRecord>(join(dir, "a.jsonl")).length, records.length);
});

test("ponder label: a soft label in [0, 1] per step, the last step's label the solution's own correctness", async () => {
  const out = join(mkdtempSync(join(tmpdir(), "ponder-label-")), "steps.jsonl");
  const { code, stderr } = await runPonder(["label", "--levels", "3", "--count", "2", "--samples", "2", "--rollouts", "2", "--problem-seed", "2000", "--out", out]);
  assert.equal(code, 0, stderr);
  const records = lines<StepLabelRecord>(out);
  assert.equal(records.length, 4, "2 problems × 2 samples");
  for (const r of records) {
    assert.equal(r.labels.length, r.steps.length);
    for (const label of r.labels) assert.ok(label >= 0 && label <= 1 && [0, 0.5, 1].includes(label), `2 rollouts give 0, ½ or 1, got ${label}`);
    assert.equal(r.labels.at(-1), r.correct ? 1 : 0);
    assert.equal(r.correct, answerOf(r.steps.join("\n")) === syntheticAnswerReader.canonical(r.answer));
  }
});
