import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { LlamaEngine } from "../backends/llama/llama-engine.js";
import { LlamaGenerator } from "../backends/llama/llama-generator.js";
import { OpenAIClient } from "../backends/openai/openai-client.js";
import { OpenAIGenerator } from "../backends/openai/openai-generator.js";
import { AbortedError } from "../core/errors/aborted-error.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import type { ComputeOptimalPolicy } from "../compute-optimal/policy.js";
import type { Candidate } from "../core/candidate.js";
import type { Problem } from "../core/problem.js";
import type { Usage } from "../core/usage.js";
import { totalUsage } from "../core/usage.js";
import { demoTemplate } from "../templates/templates.js";
import { HashVerifier } from "../../test/hash-verifier.js";
import { llamaServerSkipReason, startLlamaServer } from "../../test/llama-server.js";
import { testAnswerReader } from "../../test/test-answer-reader.js";
import { tinyModelPath } from "../../test/tiny-model.js";
import { firstCallTokens } from "./first-call-tokens.js";
import { strategies, strategyByName, type AnyStrategyOptions } from "./index.js";
import type { StrategyDeps, StrategyResult } from "./strategy.js";

// One suite, run against every strategy in the table, on the real embedded engine and over HTTP
// on llama.cpp's own server running the same model, with the same seeds.

const problem: Problem = { id: "p1", question: "Tom has 3 apples and buys 4 more. How many apples does he have?" };
/** A hand-made compute-optimal policy for `auto`: easy questions get an early-stopping vote, hard ones a beam search. */
const policy: ComputeOptimalPolicy = {
  format: "ponder.compute-optimal-policy",
  version: 1,
  createdAt: "2026-11-25T00:00:00Z",
  models: { policy: "tiny", verifier: "hash-prm" },
  probe: { samples: 2 },
  bins: { count: 2, edges: [0.5] },
  choices: [
    { bin: 1, budget: 4, strategy: "weighted-best-of-n", options: { stopWhenDecided: 0.9 }, accuracy: 1, problems: 1 },
    { bin: 2, budget: 4, strategy: "beam-search", options: { beamWidth: 2 }, accuracy: 0.5, problems: 1 },
    { bin: 2, budget: 8, strategy: "dvts", options: { beamWidth: 2 }, accuracy: 0.5, problems: 1 },
  ],
  calibration: { dataset: "hand-made", problems: 2, folds: 2, seed: 0, crossValidatedAccuracy: {} },
};
const base: AnyStrategyOptions = { budget: { generations: 8 }, seed: 5, beamWidth: 2, lookahead: 1, maxSteps: 5, maxStepTokens: 16, maxTokens: 80, policy };

/** A policy behind the suite: its generator, the id its usage is recorded under, its parameter count. */
interface Backend {
  name: string;
  skip?: string;
  open(model: string): Promise<{ generator: StrategyDeps["generator"]; modelId: string; parameters: number; close(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: "embedded engine",
    async open(model) {
      const engine = await LlamaEngine.load({ model, threads: 1, sequences: 16, contextSize: 512 });
      return { generator: new LlamaGenerator(engine, demoTemplate), modelId: engine.modelId, parameters: engine.parameters, close: () => engine.dispose() };
    },
  },
  {
    name: "llama-server over HTTP",
    skip: llamaServerSkipReason(),
    async open(model) {
      const server = await startLlamaServer({ model, slots: 16, contextPerSlot: 512 });
      const generator = await OpenAIGenerator.connect({ client: new OpenAIClient({ baseURL: server.baseURL, maxConcurrency: 16 }), template: demoTemplate, n: "auto" });
      return { generator, modelId: generator.modelId, parameters: generator.parameters, close: () => server.close() };
    },
  },
];

for (const backend of backends) describe(`strategy conformance (${backend.name})`, { skip: backend.skip }, () => {
  let deps: StrategyDeps;
  let policyId: string;
  let parameters: number;
  let close: () => Promise<void>;
  before(async () => {
    const opened = await backend.open(await tinyModelPath({ arithmetic: true }));
    ({ modelId: policyId, parameters, close } = opened);
    deps = { generator: opened.generator, verifier: new HashVerifier(), answers: testAnswerReader };
  });
  after(() => close());

  for (const [name, entry] of Object.entries(strategies)) {
    describe(name, () => {
      it("returns candidates and an answer drawn from them, with its usage accounted", async () => {
        const result = await entry.run(problem, deps, base);
        assert.equal(typeof result.strategy, "string");
        assert.ok(result.candidates.length > 0);
        if (result.chosen) {
          assert.ok(result.candidates.includes(result.chosen));
          assert.equal(result.answer, result.chosen.answer);
          assert.equal(result.answerKey, result.chosen.answerKey);
        } else assert.equal(result.answer, null);
        const policy = result.usage[policyId]!;
        assert.ok(policy.calls > 0 && policy.completionTokens > 0);
        assert.equal(policy.flops, 2 * parameters * (policy.promptTokens + policy.completionTokens));
        assert.ok(policy.wallMs > 0);
        if (entry.needsVerifier) assert.ok(result.usage["hash-prm"]!.calls > 0, "verifier calls are metered");
        for (const c of result.candidates) if (entry.needsVerifier) assert.equal(typeof c.score, "number");
      });

      it("never begins more solutions than the generation budget", async () => {
        for (const generations of [4, 8]) {
          const result = await entry.run(problem, deps, { ...base, budget: { generations } });
          assert.ok(result.usage[policyId]!.generations <= generations, `${result.usage[policyId]!.generations} > ${generations}`);
        }
      });

      it("never generates more tokens than a token cap, and says when the cap stopped it", async () => {
        const free = await entry.run(problem, deps, base);
        const needed = totalUsage(free.usage).completionTokens;
        for (const cap of [200, 136, 90]) {
          const capped: StrategyResult | Error = await entry.run(problem, deps, { ...base, budget: { generations: 8, tokens: cap } }).catch((e: Error) => e);
          if (capped instanceof Error) {
            assert.ok(capped instanceof InvalidOptionError && capped.field === "budget.tokens", `only a cap too small for the first call is refused, up front: ${capped.message}`);
            assert.equal(cap < firstCallTokens(name, base), true, capped.message);
            continue;
          }
          assert.ok(totalUsage(capped.usage).completionTokens <= cap);
          if (needed > cap) assert.equal(capped.stoppedBy, "budget");
        }
      });

      it("gives the same result for the same seed", async () => {
        const a = await entry.run(problem, deps, base);
        const b = await entry.run(problem, deps, base);
        assert.deepEqual(strip(a), strip(b));
      });

      it("stops when cancelled", async () => {
        // Cancelled as its first generation begins (not on a timer, which a fast engine can beat):
        // the generator refuses that call and every later one, and the strategy must pass the
        // AbortedError on rather than count it as one failed candidate.
        const controller = new AbortController();
        const generator: StrategyDeps["generator"] = {
          modelId: deps.generator.modelId,
          stepDelimiter: deps.generator.stepDelimiter,
          generate(request, signal) {
            controller.abort();
            return deps.generator.generate(request, signal);
          },
        };
        const pending = entry.run(problem, { ...deps, generator, signal: controller.signal }, { ...base, maxTokens: 200, maxStepTokens: 40 });
        await assert.rejects(pending, AbortedError);
      });

      it("rejects bad options naming the field", async () => {
        await assert.rejects(entry.run(problem, deps, { ...base, budget: { generations: 0 } }), (e: unknown) => e instanceof InvalidOptionError && e.field === "budget.generations");
        await assert.rejects(entry.run(problem, deps, { ...base, temperature: -1 }), (e: unknown) => e instanceof InvalidOptionError && e.field === "temperature");
        await assert.rejects(entry.run(problem, deps, { ...base, maxSteps: 0 }), (e: unknown) => e instanceof InvalidOptionError && e.field === "maxSteps");
        if (entry.needsVerifier) {
          await assert.rejects(entry.run(problem, { ...deps, verifier: undefined }, base), (e: unknown) => e instanceof InvalidOptionError && e.field === "verifier");
        }
      });
    });
  }

  it("names the strategies it knows when asked for an unknown one", () => {
    assert.throws(() => strategyByName("beam"), (e: unknown) => e instanceof InvalidOptionError && /beam-search/.test(e.message));
  });

  it("rejects a beam width that does not divide the budget", async () => {
    for (const name of ["beam-search", "dvts"]) {
      await assert.rejects(strategyByName(name).run(problem, deps, { ...base, beamWidth: 3 }), (e: unknown) => e instanceof InvalidOptionError && e.field === "beamWidth");
    }
  });
});

/**
 * A result without what legitimately differs between runs: wall time, and which prompt tokens
 * came from the KV cache (a later run finds more of its prefixes cached).
 */
function strip(result: StrategyResult) {
  const stable = (usage: Usage) =>
    Object.fromEntries(
      Object.entries(usage).map(([k, u]) => [k, { generations: u.generations, calls: u.calls, completionTokens: u.completionTokens, prompt: u.promptTokens + u.cachedPromptTokens }]),
    );
  const candidate = (c: Candidate | null) => c && { ...c, usage: c.usage && stable(c.usage) };
  return { ...result, usage: stable(result.usage), chosen: candidate(result.chosen), candidates: result.candidates.map(candidate) };
}
