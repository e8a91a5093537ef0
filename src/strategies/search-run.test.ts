import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { LlamaEngine } from "../backends/llama/llama-engine.js";
import { LlamaGenerator } from "../backends/llama/llama-generator.js";
import type { Problem } from "../core/problem.js";
import { totalUsage } from "../core/usage.js";
import { demoTemplate } from "../templates/templates.js";
import { HashVerifier } from "../../test/hash-verifier.js";
import { testAnswerReader } from "../../test/test-answer-reader.js";
import { tinyModelPath } from "../../test/tiny-model.js";
import { SearchFailedError } from "./errors/search-failed-error.js";
import { strategyByName } from "./index.js";
import { SearchRun } from "./search-run.js";
import type { StrategyDeps } from "./strategy.js";

// What one candidate's text does to the policy's context ends that candidate, never the search
// (issue 15): the real engine, with a context small enough that the limits asked for overrun it.

const CONTEXT = 160;
const problem: Problem = { id: "p1", question: "Tom has 3 apples and buys 4 more. How many apples does he have?" };

describe("SearchRun at the edge of the policy's context", () => {
  let engine: LlamaEngine;
  let deps: StrategyDeps;
  before(async () => {
    engine = await LlamaEngine.load({ model: await tinyModelPath({ arithmetic: true }), threads: 1, sequences: 8, contextSize: CONTEXT });
    deps = { generator: new LlamaGenerator(engine, demoTemplate), verifier: new HashVerifier(), answers: testAnswerReader };
  });
  after(() => engine.dispose());

  it("cuts a solution limit larger than the context to the room the prompt leaves", async () => {
    const result = await strategyByName("weighted-best-of-n").run(problem, deps, { budget: { generations: 4 }, seed: 3, maxTokens: 1024 });
    assert.ok(Number(result.details.cutToContext) >= 1, JSON.stringify(result.details));
    assert.equal(result.candidates.length, 4);
    const generated = totalUsage(result.usage).completionTokens;
    assert.ok(generated < 4 * CONTEXT, `${generated} tokens generated for 4 solutions in a ${CONTEXT}-token context`);
  });

  it("gives a next step only the room the context has left, and ends a candidate whose steps fill it", async () => {
    const run = new SearchRun("beam-search", problem, deps, { budget: { generations: 4 }, seed: 3, maxStepTokens: 100 });
    // A prefix close to the context: the step is cut to what is left of it.
    const near = await run.generate({ prefix: ["3 + 4 = 7 ".repeat(12)], until: "step", n: 2, seed: 1 });
    assert.equal(near.length, 2);
    // A prefix past the context: the candidates end at length, with nothing generated, instead of failing the search.
    const full = await run.generate({ prefix: ["3 + 4 = 7 ".repeat(40)], until: "step", n: 2, seed: 1 });
    assert.deepEqual(full.map((c) => [c.finishReason, c.completionTokens]), [["length", 0], ["length", 0]]);
    const { details } = run.finish([], null, "budget");
    assert.equal(details.cutToContext, 1, JSON.stringify(details));
    assert.equal(details.endedAtContext, 2, JSON.stringify(details));
  });

  it("fails a question that does not fit alone with a SearchFailedError naming the strategy, the problem and the model", async () => {
    const long: Problem = { id: "long", question: "Tom has 3 apples. ".repeat(100) };
    await assert.rejects(
      strategyByName("weighted-best-of-n").run(long, deps, { budget: { generations: 2 }, seed: 3 }),
      (e: unknown) =>
        e instanceof SearchFailedError &&
        e.strategy === "weighted-best-of-n" &&
        e.problemId === "long" &&
        e.modelId === engine.modelId &&
        new RegExp(`^weighted-best-of-n on problem "long", calling ${engine.modelId}: `).test(e.message),
    );
  });
});
