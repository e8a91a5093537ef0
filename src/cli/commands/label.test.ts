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

test("ponder label --exact: 0/1 labels up to the first wrong step, without rollouts; with --rollouts the Monte-Carlo labels beside them", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ponder-label-"));
  const args = ["label", "--exact", "--levels", "6", "--count", "3", "--samples", "6", "--problem-seed", "2000"];
  const exactOnly = await runPonder([...args, "--out", join(dir, "exact.jsonl")]);
  assert.equal(exactOnly.code, 0, exactOnly.stderr);
  const usage = (JSON.parse(exactOnly.stdout) as { usage: { generations: number } }).usage;
  assert.equal(usage.generations, 18, "only the 3 × 6 samples: no rollouts");
  const records = lines<StepLabelRecord>(join(dir, "exact.jsonl"));
  assert.equal(records.length, 18);
  let wrong = 0;
  for (const r of records) {
    const exact = r.exact!;
    assert.deepEqual(r.labels, exact.labels, "without rollouts the labels are the exact ones");
    assert.equal(exact.right.length, r.steps.length);
    exact.labels.forEach((label, i) => assert.equal(label, exact.right.slice(0, i + 1).every(Boolean) ? 1 : 0));
    assert.equal(exact.firstError, exact.right.indexOf(false));
    // A wholly right solution reaches the gold answer; a right answer can still come from wrong steps.
    if (exact.labels.at(-1) === 1 && r.finishReason === "end") assert.ok(r.correct, r.steps.join(" | "));
    if (exact.firstError >= 0) wrong++;
  }
  assert.ok(wrong > 0 && wrong < records.length, `level-6 samples of policy-small are sometimes right and sometimes wrong (${wrong} wrong)`);

  const both = await runPonder([...args, "--rollouts", "2", "--out", join(dir, "both.jsonl")]);
  assert.equal(both.code, 0, both.stderr);
  const mixed = lines<StepLabelRecord>(join(dir, "both.jsonl"));
  assert.deepEqual(mixed.map((r) => r.exact), records.map((r) => r.exact), "the same samples, judged the same");
  for (const r of mixed) {
    assert.equal(r.labels.at(-1), r.correct ? 1 : 0, "Monte-Carlo labels: the last is the outcome");
    for (const label of r.labels) assert.ok([0, 0.5, 1].includes(label));
  }
});
