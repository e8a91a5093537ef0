import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
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
import { FullDisk } from "../../test/full-disk.js";
import { LlamaNextTokenScorer } from "../verifiers/llama-next-token-scorer.js";
import { demoPrmFormat } from "../verifiers/token-reward-format.js";
import { TokenRewardVerifier } from "../verifiers/token-reward-verifier.js";
import { summarizeRun } from "./metrics/summarize-run.js";
import { problemsFingerprint } from "./problems-fingerprint.js";
import { ResultsWriteError } from "./errors/results-write-error.js";
import { RunLockedError } from "./errors/run-locked-error.js";
import type { EvalRecord } from "./eval-record.js";
import type { Problem } from "../core/problem.js";

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

  it("stores a unit that fails for a reason that would recur as a failed record, and completes the run", async () => {
    // The fixture's context holds 256 tokens: this question does not fit it, whatever the strategy.
    const problems: Problem[] = [...EVAL_PROBLEMS.slice(0, 2), { id: "long", question: "What is 1 + 1? ".repeat(40), answer: "2", level: 1 }];
    const options = { ...withConfig({ problems: problemsFingerprint(problems), budgets: [1, 2] }), problems };
    const out = tempDir();
    const records = await evaluate({ ...options, out });
    assert.equal(records.length, 3 * 3 * 2);
    const failed = records.filter((r) => r.problemId === "long");
    assert.equal(failed.length, 6);
    for (const r of failed) {
      assert.equal(r.stoppedBy, "error");
      assert.equal(r.correct, false);
      assert.equal(r.error!.name, "SearchFailedError");
      assert.match(r.error!.message, new RegExp(`^${r.strategy} on problem "long", calling ${engine.modelId}: a prompt of \\d+ tokens`));
    }
    assert.ok(records.filter((r) => r.problemId !== "long").every((r) => r.error === undefined));
    const summary = summarizeRun(records);
    assert.ok(summary.cells.every((c) => c.accuracy.problems === 3), "failed records count, as wrong answers");
    assert.deepEqual(await evaluate({ ...options, out }), records, "a complete run is read back, not recomputed");
  });

  it("stops when the disk fills, keeps every complete record, and resumes to the full set once space is freed", async () => {
    const out = tempDir();
    const disk = new FullDisk(6000);
    await assert.rejects(evaluate({ ...base, out, io: disk }), (e: unknown) => e instanceof ResultsWriteError && e.restored && /ENOSPC/.test(e.message));
    const kept = ResultsStore.read(out);
    assert.equal(kept.tornBytes, 0, "the failed append was cut back");
    assert.ok(kept.records.length > 0 && kept.records.length < 54, `${kept.records.length} records kept`);
    assert.ok(readFileSync(join(out, "results.jsonl"), "utf8").endsWith("\n"));
    disk.free(1 << 24);
    const records = await evaluate({ ...base, out, io: disk });
    assert.equal(records.length, 54);
    assert.equal(new Set(records.map((r) => `${r.problemId}/${r.strategy}/${r.budget}`)).size, 54);
    assert.deepEqual(ResultsStore.open(out, base.config).notices, [], "nothing was torn or duplicated");
  });

  it("reads a complete run without its lock, and refuses to write one a live process holds", async () => {
    const out = tempDir();
    const options = withConfig({ strategies: ["majority"], budgets: [1] });
    const records = await evaluate({ ...options, out });
    const sleeper = spawn("sleep", ["30"]);
    await new Promise((resolve) => sleeper.once("spawn", resolve));
    try {
      const started = readFileSync(`/proc/${sleeper.pid}/stat`, "utf8").split(") ")[1]!.split(" ")[19];
      writeFileSync(join(out, "lock"), JSON.stringify({ pid: sleeper.pid, started }));
      assert.deepEqual(await evaluate({ ...options, out }), records);
      const file = join(out, "results.jsonl");
      writeFileSync(file, readFileSync(file, "utf8").split("\n").slice(1).join("\n"));
      await assert.rejects(evaluate({ ...options, out }), (e: unknown) => e instanceof RunLockedError && e.pid === sleeper.pid);
    } finally {
      sleeper.kill();
    }
  });

  it("gives no ETA until a first wave of units has finished", async () => {
    const events: EvalEvent[] = [];
    for await (const e of evaluateIter({ ...withConfig({ strategies: ["majority"], budgets: [1] }), out: tempDir(), concurrency: 4 })) events.push(e);
    const progress = events.filter((e) => e.type === "progress");
    assert.deepEqual(progress.slice(0, 3).map((p) => p.etaMs), [null, null, null]);
    assert.ok(progress.slice(3).every((p) => typeof p.etaMs === "number"));
  });

  it("summarises the same whatever the concurrency, with a real PRM whose remembered scores two strategies share", async () => {
    const prm = new TokenRewardVerifier({ scorer: new LlamaNextTokenScorer(engine, { modelId: "tiny-prm" }), format: demoPrmFormat });
    const options = { ...withConfig({ strategies: ["best-of-n", "weighted-best-of-n", "beam-search"], budgets: [1, 2, 4] }), deps: { ...base.deps, verifier: prm } };
    const one = await evaluate({ ...options, out: tempDir(), concurrency: 1 });
    const six = await evaluate({ ...options, out: tempDir(), concurrency: 6 });
    const stable = (records: EvalRecord[]) => JSON.stringify(summarizeRun(records).cells, (key, value) => (key === "wallMs" ? undefined : value));
    assert.equal(stable(six), stable(one));
    assert.ok(one.some((r) => r.strategy === "best-of-n" && r.usage["tiny-prm"]!.cachedPromptTokens > 0), "the PRM's usage is recorded");
    const read = (records: EvalRecord[]) => records.map((r) => [r.problemId, r.strategy, r.budget, r.answerKey, Object.values(r.usage).map((u) => u.promptTokens + u.cachedPromptTokens + u.completionTokens)]);
    assert.deepEqual(read(six), read(one), "every record reads and writes as many tokens, however the runs interleaved");
  });
});
