import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { LlamaEngine } from "../backends/llama/llama-engine.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import { totalUsage } from "../core/usage.js";
import { EVAL_PROBLEMS, evalFixture } from "../../test/eval-fixture.js";
import { HashVerifier } from "../../test/hash-verifier.js";
import type { EvalConfig } from "./eval-config.js";
import type { EvalEvent } from "./eval-events.js";
import { evaluate, evaluateIter, type EvalOptions } from "./run-eval.js";
import { ResultsStore } from "./results-store.js";

const tempDir = () => mkdtempSync(join(tmpdir(), "ponder-eval-"));

describe("evaluate", () => {
  let engine: LlamaEngine;
  let base: Omit<EvalOptions, "out">;
  const withConfig = (config: Partial<EvalConfig>): Omit<EvalOptions, "out"> => ({ ...base, config: { ...base.config, ...config } });
  before(async () => {
    ({ engine, options: base } = await evalFixture());
  });
  after(() => engine.dispose());

  it("derives smaller sampling budgets from the largest run, as a run at that budget would have drawn them", async () => {
    const all = await evaluate({ ...withConfig({ strategies: ["majority", "weighted-best-of-n"], budgets: [1, 2, 4] }), out: tempDir() });
    const direct = await evaluate({ ...withConfig({ strategies: ["majority", "weighted-best-of-n"], budgets: [2] }), out: tempDir() });
    assert.equal(all.length, EVAL_PROBLEMS.length * 2 * 3);
    for (const d of direct) {
      const sub = all.find((r) => r.problemId === d.problemId && r.strategy === d.strategy && r.budget === 2)!;
      assert.equal(sub.subsampled, true);
      assert.deepEqual(sub.candidates, d.candidates);
      assert.equal(sub.answerKey, d.answerKey);
      assert.equal(totalUsage(sub.usage).completionTokens, totalUsage(d.usage).completionTokens, "policy tokens of the kept samples");
      assert.equal(sub.usage[engine.modelId]!.generations, 2);
      if (d.strategy === "weighted-best-of-n") assert.equal(sub.usage["hash-prm"]!.calls, 2, "verifier usage shared by the samples kept");
    }
    const largest = all.filter((r) => r.budget === 4);
    assert.ok(largest.every((r) => !r.subsampled && r.candidates.length === 4));
  });

  it("reports progress, each problem once, and cells a strategy cannot run", async () => {
    const events: EvalEvent[] = [];
    const options = { ...withConfig({ strategies: ["majority", "lookahead", "greedy"], budgets: [1, 4], lookahead: 1, beamWidth: 2 }), out: tempDir() };
    for await (const e of evaluateIter(options)) events.push(e);
    const start = events[0]!;
    assert.ok(start.type === "start");
    assert.deepEqual(start.skipped, [{ strategy: "lookahead", budget: 1, reason: "lookahead 1 needs a budget of at least 2" }]);
    assert.equal(start.totalRecords, EVAL_PROBLEMS.length * 4);
    const done = events.filter((e) => e.type === "problem-done").map((e) => e.problemId).sort();
    assert.deepEqual(done, EVAL_PROBLEMS.map((p) => p.id).sort());
    const progress = events.filter((e) => e.type === "progress");
    assert.equal(progress.at(-1)!.doneRecords, start.totalRecords);
    assert.equal(progress.at(-1)!.etaMs, 0);
    const last = events.at(-1)!;
    assert.ok(last.type === "done" && last.records.length === start.totalRecords);
    const greedy = last.records.filter((r) => r.strategy === "greedy");
    assert.equal(greedy.length, EVAL_PROBLEMS.length);
    assert.ok(greedy.every((r) => r.budget === 1 && r.candidates.length === 1));
  });

  it("stops on a failing component, keeps what it stored, and resumes to the full set", async () => {
    const out = tempDir();
    const failing = { ...base, deps: { ...base.deps, verifier: new HashVerifier({ failAfter: 3 }) }, concurrency: 1 };
    await assert.rejects(evaluate({ ...failing, out }), /injected verifier failure/);
    const kept = ResultsStore.read(out).records.length;
    assert.ok(kept > 0 && kept < 54, `${kept} records kept`);
    const records = await evaluate({ ...base, out });
    assert.equal(records.length, 54);
    assert.equal(new Set(records.map((r) => `${r.problemId}/${r.strategy}/${r.budget}`)).size, 54);
  });

  it("asks for a verifier only when a strategy selects by score", async () => {
    await assert.rejects(
      evaluate({ ...withConfig({ verifier: null }), out: tempDir() }),
      (e: unknown) => e instanceof InvalidOptionError && e.field === "verifier" && /weighted-best-of-n, beam-search/.test(e.message),
    );
    const records = await evaluate({ ...withConfig({ verifier: null, strategies: ["majority"], budgets: [2] }), deps: { generator: base.deps.generator }, out: tempDir() });
    assert.equal(records.length, EVAL_PROBLEMS.length);
  });

  it("rejects unknown strategies and bad budgets naming the option and the accepted values", async () => {
    await assert.rejects(evaluate({ ...withConfig({ strategies: ["beam"] }), out: tempDir() }), /invalid strategies: "beam"; expected majority, best-of-n/);
    await assert.rejects(evaluate({ ...withConfig({ budgets: [0, 4] }), out: tempDir() }), (e: unknown) => e instanceof InvalidOptionError && e.field === "budgets");
  });
});
