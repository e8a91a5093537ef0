import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { sharedDataPath } from "../../datasets/shared-data.js";
import { InvalidRecordedSamplesError } from "./errors/invalid-recorded-samples-error.js";
import { loadRecordedSamples } from "./recorded-samples.js";
import { replaySelection, selectCorrect } from "./replay-selection.js";

const same = (a: string) => a;

function realSamples() {
  // The benchmark data lives outside the repository; without it this test fails rather than skips.
  return loadRecordedSamples(sharedDataPath("qwen-math-samples/math_cot_100.jsonl"));
}

describe("replay on recorded samples", () => {
  it("selects as hand-checked on four mixed problems of math_cot_100 (k = 8)", () => {
    const problems = realSamples().filter((p) => ["6", "28", "54", "98"].includes(p.id));
    assert.equal(problems.length, 4);
    const at8 = (rule: "majority" | "weighted" | "best" | "pass") => problems.map((p) => selectCorrect(p.samples, rule, same));
    // 6: 3/8 thrice, wins every rule. 28: 11 and 4 tie twice each; 11 is seen first and also weighs more (0.99 vs 0.70).
    // 54: eight different answers; majority takes the first (6.5, wrong), weighted and best the top reward (25, right).
    // 98: 50625 four times wins majority and weighted (2.38 vs 1.81), but 759375 has the single best reward (2.30).
    assert.deepEqual(at8("majority"), [true, false, false, true]);
    assert.deepEqual(at8("weighted"), [true, false, true, true]);
    assert.deepEqual(at8("best"), [true, false, true, false]);
    assert.deepEqual(at8("pass"), [true, true, true, true]);
    const figures = replaySelection(problems, { ks: [8], subsets: ["first", "random"], draws: 20 });
    const accuracy = (rule: string, subsets: string) => figures.find((f) => f.rule === rule && f.subsets === subsets)!.estimate.accuracy;
    // At k = 8 every subset holds all eight samples: weighted votes never tie here, so order cannot matter...
    assert.equal(accuracy("weighted", "first"), 0.75);
    assert.equal(accuracy("weighted", "random"), 0.75);
    // ...but majority ties (28, 54) go to the answer seen first, which a random order sometimes makes the right one.
    assert.equal(accuracy("majority", "first"), 0.5);
    assert.ok(accuracy("majority", "random") > 0.5 && accuracy("majority", "random") < 0.75);
  });

  it("gives the whole file's figures: majority@k and reward-weighted@k for k = 1, 2, 4, 8 on the first k samples", () => {
    const figures = replaySelection(realSamples(), { subsets: ["first"] });
    const table = Object.fromEntries(figures.map((f) => [`${f.rule}@${f.k}`, Math.round(f.estimate.accuracy * 100)]));
    assert.deepEqual(table, {
      "majority@1": 90, "majority@2": 90, "majority@4": 93, "majority@8": 93,
      "weighted@1": 90, "weighted@2": 93, "weighted@4": 94, "weighted@8": 94,
      "best@1": 90, "best@2": 93, "best@4": 93, "best@8": 94,
      "pass@1": 90, "pass@2": 94, "pass@4": 95, "pass@8": 96,
    });
  });

  it("averages random subsets with a seed, and agrees with first-k at k = 1 in expectation", () => {
    const problems = realSamples();
    const a = replaySelection(problems, { ks: [1, 4], rules: ["majority"], subsets: ["random"], draws: 50, seed: 3 });
    assert.deepEqual(replaySelection(problems, { ks: [1, 4], rules: ["majority"], subsets: ["random"], draws: 50, seed: 3 }), a);
    const meanPass1 = problems.reduce((s, p) => s + p.samples.filter((x) => x.correct).length / p.samples.length, 0) / problems.length;
    assert.ok(Math.abs(a[0]!.estimate.accuracy - meanPass1) < 0.02, `${a[0]!.estimate.accuracy} vs ${meanPass1}`);
  });

  it("names the file, line and field of a malformed line", () => {
    const dir = mkdtempSync(join(tmpdir(), "ponder-replay-"));
    const path = join(dir, "bad.jsonl");
    writeFileSync(path, JSON.stringify({ idx: 0, gt: "1", pred: ["1"], score: [true], pred_score: [[0.1]] }) + "\n" + JSON.stringify({ idx: 1, gt: "1", pred: ["1", "2"], score: [true], pred_score: [1, 2] }) + "\n");
    assert.throws(() => loadRecordedSamples(path), (e: unknown) => e instanceof InvalidRecordedSamplesError && e.line === 2 && /bad\.jsonl:2: field score must be an array of 2 booleans/.test(e.message));
  });
});
