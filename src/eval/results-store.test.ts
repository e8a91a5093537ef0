import assert from "node:assert/strict";
import { appendFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { evalFixtureConfig } from "../../test/eval-fixture.js";
import type { EvalRecord } from "./eval-record.js";
import { CorruptResultsError } from "./errors/corrupt-results-error.js";
import { RunConfigMismatchError } from "./errors/run-config-mismatch-error.js";
import { RunLockedError } from "./errors/run-locked-error.js";
import { RESULTS_FILE, ResultsStore } from "./results-store.js";

function record(problemId: string, budget: number): EvalRecord {
  return {
    problemId, strategy: "majority", budget, seed: 0, answer: "7", answerKey: "7", gold: "7", correct: true,
    candidates: [{ text: "3 + 4 = 7\nThe answer is 7", finishReason: "end", answer: "7", answerKey: "7", correct: true }],
    usage: { m: { generations: budget, calls: budget, promptTokens: 10, cachedPromptTokens: 0, completionTokens: 9, flops: 38, wallMs: 1 } },
    stoppedBy: "complete", subsampled: false, details: {},
  };
}

const tempDir = () => mkdtempSync(join(tmpdir(), "ponder-store-"));

describe("ResultsStore", () => {
  it("discards a torn last line on resume and keeps every complete record", () => {
    const dir = tempDir();
    const config = evalFixtureConfig();
    const store = ResultsStore.open(dir, config);
    store.append([record("a", 1), record("a", 2)]);
    store.close();
    const whole = JSON.stringify(record("b", 1));
    appendFileSync(join(dir, RESULTS_FILE), whole.slice(0, whole.length / 2));

    assert.equal(ResultsStore.read(dir).records.length, 2, "reading leaves the torn line out");
    const resumed = ResultsStore.open(dir, config);
    assert.equal(resumed.resumed.length, 2);
    assert.ok(resumed.tornBytes > 0);
    assert.ok(resumed.has('["a","majority",2,0]'));
    assert.deepEqual(resumed.append([record("a", 2), record("b", 1)]).map((r) => r.problemId), ["b"], "a stored record is not written twice");
    resumed.close();
    const lines = readFileSync(join(dir, RESULTS_FILE), "utf8").split("\n");
    assert.equal(lines.length, 4, "three complete lines and the final newline");
    assert.deepEqual(ResultsStore.read(dir).records.map((r) => `${r.problemId}${r.budget}`), ["a1", "a2", "b1"]);
  });

  it("refuses to resume under another configuration, naming each differing field", () => {
    const dir = tempDir();
    ResultsStore.open(dir, evalFixtureConfig()).close();
    assert.throws(
      () => ResultsStore.open(dir, evalFixtureConfig({ budgets: [1, 2, 8], temperature: 0.5 })),
      (e: unknown) => e instanceof RunConfigMismatchError && e.differences.map((d) => d.field).join() === "budgets,temperature" && /budgets \(stored \[1,2,4\], requested \[1,2,8\]\)/.test(e.message),
    );
    ResultsStore.open(dir, evalFixtureConfig()).close();
  });

  it("reports a damaged line before the last with its file and line number", () => {
    const dir = tempDir();
    const store = ResultsStore.open(dir, evalFixtureConfig());
    store.append([record("a", 1)]);
    store.close();
    appendFileSync(join(dir, RESULTS_FILE), "{not json\n" + JSON.stringify(record("a", 2)) + "\n");
    assert.throws(() => ResultsStore.read(dir), (e: unknown) => e instanceof CorruptResultsError && e.line === 2 && e.message.includes(`${RESULTS_FILE}:2`));
  });

  it("lets one process write a run at a time and takes over a dead writer's lock", () => {
    const dir = tempDir();
    const store = ResultsStore.open(dir, evalFixtureConfig());
    writeFileSync(join(dir, "lock"), String(process.ppid));
    assert.throws(() => ResultsStore.open(dir, evalFixtureConfig()), RunLockedError);
    writeFileSync(join(dir, "lock"), "999999999");
    const again = ResultsStore.open(dir, evalFixtureConfig());
    again.close();
    store.close();
    assert.throws(() => statSync(join(dir, "lock")), "the lock is released on close");
  });
});
