import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { leaderIsModeProbability, leadIsSafe } from "../aggregation/leader-share.js";
import type { LlamaEngine } from "../backends/llama/llama-engine.js";
import { totalUsage } from "../core/usage.js";
import { loadSynthetic } from "../datasets/synthetic/load-synthetic.js";
import { policySmallDeps } from "../../test/policy-small-deps.js";
import { adaptiveConsistency } from "./adaptive-consistency.js";
import { esc } from "./esc.js";
import { majorityVote } from "./majority-vote.js";
import type { StrategyDeps } from "./strategy.js";

const problems = loadSynthetic({ levels: "1,4,7", count: 3, seed: 12 });
const base = { seed: 1, maxTokens: 200, budget: { generations: 16 } };

describe("early-stopping votes (ESC, Adaptive-Consistency) on the shipped policy", () => {
  let engine: LlamaEngine;
  let deps: StrategyDeps;
  before(async () => ({ engine, deps } = await policySmallDeps()));
  after(() => engine.dispose());

  it("ESC: draws majority voting's samples a window at a time and stops after the first window that agrees", async () => {
    for (const problem of problems) {
      const majority = await majorityVote(problem, deps, base);
      const result = await esc(problem, deps, { ...base, wave: 4 });
      const n = result.candidates.length;
      assert.deepEqual(result.candidates.map((c) => c.steps), majority.candidates.slice(0, n).map((c) => c.steps));
      const windows = Array.from({ length: n / 4 }, (_, w) => result.candidates.slice(4 * w, 4 * w + 4).map((c) => c.answerKey));
      const agrees = windows.map((keys) => keys[0] !== null && keys.every((k) => k === keys[0]));
      assert.equal(agrees.slice(0, -1).some(Boolean), false, "no earlier window agreed");
      assert.equal(result.details.stoppedEarly, n < 16);
      if (n < 16) assert.equal(agrees.at(-1), true, "the last window agreed");
      assert.equal(totalUsage(result.usage).generations, n);
      const sub = await majorityVote(problem, deps, { ...base, budget: { generations: n } });
      assert.equal(result.answer, sub.answer, "the answer is majority voting's over the samples drawn");
    }
  });

  it("Adaptive-Consistency: stops at the first wave where the leader is the mode with the asked probability", async () => {
    let stoppedEarly = 0;
    for (const problem of problems) {
      const result = await adaptiveConsistency(problem, deps, { ...base, stopWhenDecided: 0.95, wave: 2 });
      const n = result.candidates.length;
      const decided = (k: number) => leadIsSafe(result.candidates.slice(0, k), 16 - k) || leaderIsModeProbability(result.candidates.slice(0, k)) >= 0.95;
      if (n < 16) {
        stoppedEarly++;
        assert.equal(decided(n), true);
      }
      for (let k = 2; k < n; k += 2) assert.equal(decided(k), false, `not decided after ${k}`);
    }
    assert.ok(stoppedEarly > 0, "an easy question stops early");
  });

  it("take a probe's samples as their first ones, drawing and charging only the rest", async () => {
    const problem = problems[1]!;
    const probe = await majorityVote(problem, deps, { ...base, budget: { generations: 4 } });
    for (const run of [esc, adaptiveConsistency]) {
      const whole = await run(problem, deps, base);
      const resumed = await run(problem, deps, { ...base, presampled: probe.candidates });
      assert.deepEqual(resumed.candidates.map((c) => c.steps), whole.candidates.map((c) => c.steps));
      assert.equal(resumed.answer, whole.answer);
      assert.equal(totalUsage(resumed.usage).generations, whole.candidates.length - 4);
    }
  });

  it("reject bad options naming the field", async () => {
    await assert.rejects(esc(problems[0]!, deps, { ...base, wave: 0 }), (e: Error & { field?: string }) => e.field === "wave");
    await assert.rejects(adaptiveConsistency(problems[0]!, deps, { ...base, stopWhenDecided: 0 }), (e: Error & { field?: string }) => e.field === "stopWhenDecided");
  });
});
