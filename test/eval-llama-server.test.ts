import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { totalUsage } from "../src/core/usage.js";
import type { EvalRecord } from "../src/eval/eval-record.js";
import { ResultsStore } from "../src/eval/results-store.js";
import { llamaServerSkipReason, shippedModel, startLlamaServer, type LlamaServer } from "./llama-server.js";
import { oneBinPolicy } from "./one-bin-policy.js";
import { runPonder } from "./run-cli.js";

// The README's main job, made small, as a user runs it: `ponder eval` with --policy and --verifier
// pointing at llama.cpp's own server. Issue 16: over HTTP, step-wise searches never finished a
// solution (the context filled up and the run died at an HTTP 400), and usage was under-counted.

const STEPWISE = ["beam-search", "dvts", "lookahead"];
const STRATEGIES = ["majority", "weighted-best-of-n", ...STEPWISE];
const BUDGETS = [2, 4]; // lookahead 1 needs a budget of at least 2
const PROBLEMS = 5;

describe("ponder eval against llama-server", { skip: llamaServerSkipReason() }, () => {
  let policy: LlamaServer;
  let prm: LlamaServer;
  before(async () => {
    // 512 tokens per slot: a search that re-asks for a finished solution's next step overflows it.
    [policy, prm] = await Promise.all([
      startLlamaServer({ model: shippedModel("policy-small"), slots: 8, contextPerSlot: 512 }),
      startLlamaServer({ model: shippedModel("prm"), slots: 4, contextPerSlot: 512 }),
    ]);
  });
  after(() => Promise.all([policy?.close(), prm?.close()]));

  it("completes every strategy, finishing step-wise searches; records usage equal to both servers' /metrics; a rerun resumes without a request", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "ponder-eval-llama-server-")), "run");
    const args = [
      ...["eval", "--limit", String(PROBLEMS), "--levels", "2-6", "--strategies", STRATEGIES.join(","), "--budgets", BUDGETS.join(",")],
      ...["--policy", `${policy.baseURL}?model=policy-small&template=ponder-demo&n=auto&concurrency=8`],
      ...["--verifier", `prm-http:${prm.baseURL}?model=prm&concurrency=4`, "--out", out],
    ];
    const before = await Promise.all([policy.settled(), prm.settled()]);
    const first = await runPonder(args);
    assert.equal(first.code, 0, first.stderr);
    const afterRun = await Promise.all([policy.metrics(), prm.metrics()]);

    const { records } = ResultsStore.read(out);
    assert.equal(records.length, PROBLEMS * STRATEGIES.length * BUDGETS.length);
    for (const r of records.filter((r) => STEPWISE.includes(r.strategy))) {
      assert.ok(r.candidates.length > 0, `${r.strategy}@${r.budget} ${r.problemId}: no candidate`);
      for (const c of r.candidates) assert.equal(c.finishReason, "end", `${r.strategy}@${r.budget} ${r.problemId}: ${JSON.stringify(c.text)}`);
    }
    // The demo policy solves most of these easy problems; a search that never finished would answer none.
    const stepwise = records.filter((r) => STEPWISE.includes(r.strategy));
    assert.ok(stepwise.filter((r) => r.correct).length >= stepwise.length / 2, `step-wise correct: ${stepwise.filter((r) => r.correct).length} of ${stepwise.length}`);

    // A subsampled record (a smaller N re-voted from a larger one's samples) holds a share of its
    // source's usage, not more work: only the others add up to what the servers did.
    assert.deepEqual(recordedUsage(records.filter((r) => !r.subsampled)), { "policy-small": served(before[0]!, afterRun[0]!), prm: served(before[1]!, afterRun[1]!) });

    const again = await runPonder(args);
    assert.equal(again.code, 0, again.stderr);
    const afterRerun = await Promise.all([policy.metrics(), prm.metrics()]);
    assert.deepEqual(
      afterRerun.map((m) => [m.prompt_tokens_total, m.tokens_predicted_total]),
      afterRun.map((m) => [m.prompt_tokens_total, m.tokens_predicted_total]),
      "the rerun found every record stored and asked the servers for nothing",
    );
    assert.equal(ResultsStore.read(out).records.length, records.length);
  });

  it("runs auto's DVTS that stops once its vote (the probe's included) is decided: usage equal to both servers' /metrics", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ponder-eval-llama-server-auto-"));
    const policyFile = join(dir, "policy.json");
    const choice = { bin: 1, budget: 12, strategy: "dvts", options: { beamWidth: 4, stopWhenDecided: 0.8 }, runBudget: 8, accuracy: 0.5, problems: 1 };
    writeFileSync(policyFile, JSON.stringify(oneBinPolicy([choice], { policy: "policy-small", verifier: "prm" })));
    const out = join(dir, "run");
    const before = await Promise.all([policy.settled(), prm.settled()]);
    const run = await runPonder([
      ...["eval", "--limit", "8", "--levels", "2-8", "--strategies", "auto", "--compute-policy", policyFile, "--budgets", "12"],
      ...["--policy", `${policy.baseURL}?model=policy-small&template=ponder-demo&n=auto&concurrency=8`],
      ...["--verifier", `prm-http:${prm.baseURL}?model=prm&concurrency=4`, "--out", out],
    ]);
    assert.equal(run.code, 0, run.stderr);
    const after = await Promise.all([policy.settled(), prm.settled()]);
    const { records } = ResultsStore.read(out);
    assert.equal(records.length, 8);
    for (const r of records) {
      assert.equal(r.details.chosen, "dvts");
      assert.ok(Number(r.details.grown) <= 2, `${r.problemId}: grew ${r.details.grown} of 2 subtrees`);
      assert.equal(totalUsage({ "policy-small": r.usage["policy-small"]! }).generations, 4 + 4 * Number(r.details.grown), "the probe's 4 and 4 per subtree grown");
    }
    assert.ok(records.some((r) => Number(r.details.grown) < 2), "a settled vote stops some search before its last subtree");
    assert.deepEqual(recordedUsage(records), { "policy-small": served(before[0]!, after[0]!), prm: served(before[1]!, after[1]!) });
  });
});

/** Prompt and completion tokens the records say each model processed. */
function recordedUsage(records: readonly EvalRecord[]): Record<string, { prompt: number; completion: number }> {
  const recorded: Record<string, { prompt: number; completion: number }> = {};
  for (const r of records) {
    for (const [model, usage] of Object.entries(r.usage)) {
      const u = totalUsage({ [model]: usage });
      const m = (recorded[model] ??= { prompt: 0, completion: 0 });
      m.prompt += u.promptTokens;
      m.completion += u.completionTokens;
    }
  }
  return recorded;
}

/** What a server's counters grew by between two readings of /metrics. */
function served(before: Record<string, number>, after: Record<string, number>): { prompt: number; completion: number } {
  return { prompt: after.prompt_tokens_total! - before.prompt_tokens_total!, completion: after.tokens_predicted_total! - before.tokens_predicted_total! };
}
