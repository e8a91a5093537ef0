import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { totalUsage } from "../src/core/usage.js";
import { ResultsStore } from "../src/eval/results-store.js";
import { llamaServerSkipReason, shippedModel, startLlamaServer, type LlamaServer } from "./llama-server.js";
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
    const recorded = { "policy-small": { prompt: 0, completion: 0 }, prm: { prompt: 0, completion: 0 } };
    for (const r of records.filter((r) => !r.subsampled)) {
      for (const [model, usage] of Object.entries(r.usage)) {
        const u = totalUsage({ [model]: usage });
        const m = recorded[model as keyof typeof recorded];
        assert.ok(m, `usage under an unexpected model id ${model}`);
        m.prompt += u.promptTokens;
        m.completion += u.completionTokens;
      }
    }
    const served = (i: number) => ({
      prompt: afterRun[i]!.prompt_tokens_total! - before[i]!.prompt_tokens_total!,
      completion: afterRun[i]!.tokens_predicted_total! - before[i]!.tokens_predicted_total!,
    });
    assert.deepEqual(recorded, { "policy-small": served(0), prm: served(1) });

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
});
