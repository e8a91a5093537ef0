import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { LanguageModelV3, LanguageModelV3CallOptions } from "@ai-sdk/provider";
import { generateText, jsonSchema, streamText, wrapLanguageModel } from "ai";
import { createGenerator, type CreatedGenerator } from "../backends/create-generator.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import type { SearchEvent } from "../strategies/strategy.js";
import { createVerifier } from "../verifiers/create-verifier.js";
import { ponderLanguageModel } from "./ponder-language-model.js";
import { ponderMetadata } from "./ponder-metadata.js";
import { ponderMiddleware } from "./ponder-middleware.js";

// The real AI SDK (ai@6: generateText, streamText, wrapLanguageModel) around the shipped demo
// policy, served through the SDK's provider interface by ponderLanguageModel; the demo PRM scores.
const QUESTION = "Ann has 12 apples. Ann buys 7 more. Ann gives away 5. How many apples does Ann have now?";

/** The demo policy as an AI SDK model, counting and recording the calls the middleware makes. */
function countingModel(inner: LanguageModelV3) {
  const calls: LanguageModelV3CallOptions[] = [];
  const model: LanguageModelV3 = { ...inner, doGenerate: (params) => (calls.push(params), inner.doGenerate(params)), doStream: (params) => inner.doStream(params) };
  return { model, calls };
}

describe("ponderMiddleware with the AI SDK", () => {
  let policy: CreatedGenerator;
  let prm: Awaited<ReturnType<typeof createVerifier>>;
  before(async () => {
    policy = await createGenerator("policy-small", { threads: 1 });
    prm = await createVerifier("prm", { threads: 1 });
  });
  after(async () => {
    await prm.dispose();
    await policy.dispose();
  });

  it("weighted best-of-N through generateText: N doGenerate calls, the voted answer, usage summed in the SDK's shape", async () => {
    const { model, calls } = countingModel(ponderLanguageModel(policy.generator));
    const wrapped = wrapLanguageModel({ model, middleware: ponderMiddleware({ strategy: "weighted-best-of-n", budget: 6, verifier: prm.verifier, stepDelimiter: "\n" }) });
    const result = await generateText({ model: wrapped, prompt: QUESTION, seed: 3 });
    assert.equal(calls.length, 6);
    assert.equal(new Set(calls.map((c) => c.seed)).size, 6, "each generation has its own seed");
    const ponder = ponderMetadata(result)!;
    assert.equal(ponder.strategy, "weighted-best-of-n");
    assert.equal(ponder.candidates.length, 6);
    assert.ok(ponder.candidates.every((c) => typeof c.score === "number"));
    assert.equal(ponder.votes.reduce((n, v) => n + v.count, 0), ponder.candidates.filter((c) => c.answer !== null).length);
    const top = [...ponder.votes].sort((a, b) => b.weight - a.weight)[0]!;
    assert.equal(ponder.answer, top.answer, "the answer is the one with the largest summed score");
    assert.match(result.text, new RegExp(`The answer is ${ponder.answer}\\s*$`));
    // Usage: the wrapped model's six calls, in the SDK's shape, equal to what ponder metered for them.
    const metered = ponder.usage[`ponder:${policy.generator.modelId}`]!;
    assert.equal(metered.generations, 6);
    assert.equal(metered.calls, 6);
    assert.equal(result.usage.outputTokens, metered.completionTokens);
    assert.equal(result.usage.inputTokens, metered.promptTokens + metered.cachedPromptTokens);
    assert.ok(ponder.usage[prm.verifier.modelId]!.calls > 0, "the verifier's compute is reported too");

    const again = await generateText({ model: wrapped, prompt: QUESTION, seed: 3 });
    assert.equal(again.text, result.text, "the same seed gives the same search");
    assert.deepEqual(ponderMetadata(again)!.candidates, ponder.candidates);
  });

  it("beam search through streamText: progress per round as reasoning, then the answer; steps continue a prefilled assistant message", async () => {
    const { model, calls } = countingModel(ponderLanguageModel(policy.generator));
    const events: SearchEvent[] = [];
    const wrapped = wrapLanguageModel({
      model,
      middleware: ponderMiddleware({ strategy: "beam-search", budget: 4, verifier: prm.verifier, stepDelimiter: "\n", options: { beamWidth: 2 }, onEvent: (e) => events.push(e) }),
    });
    const result = streamText({ model: wrapped, prompt: QUESTION, seed: 1 });
    const parts: string[] = [];
    for await (const part of result.fullStream) parts.push(part.type);
    const reasoning = await result.reasoningText;
    const rounds = events.filter((e) => e.type === "round");
    assert.ok(rounds.length >= 2, `${rounds.length} rounds`);
    assert.equal(reasoning?.trim().split("\n").length, rounds.length, "one reasoning line per round");
    assert.match(reasoning ?? "", /^beam-search round 0: \d+ active, \d+ finished, best score 0\.\d{3}\n/);
    assert.ok(parts.indexOf("reasoning-delta") < parts.indexOf("text-delta"), "progress streams before the answer");
    assert.ok(calls.some((c) => c.prompt.at(-1)?.role === "assistant"), "later steps continue the steps written so far");
    assert.ok(calls.every((c) => c.stopSequences?.includes("\n")), "each call writes one step");
    const ponder = ponderMetadata({ providerMetadata: await result.providerMetadata })!;
    assert.equal(ponder.strategy, "beam-search");
    assert.match(await result.text, new RegExp(`The answer is ${ponder.answer}`));
    assert.equal((await result.usage).outputTokens, ponder.usage[`ponder:${policy.generator.modelId}`]!.completionTokens);
  });

  it("takes a call's own budget and strategy from providerOptions.ponder, and refuses bad options naming them", async () => {
    const { model, calls } = countingModel(ponderLanguageModel(policy.generator));
    const wrapped = wrapLanguageModel({ model, middleware: ponderMiddleware({ budget: 8, verifier: prm.verifier, stepDelimiter: "\n" }) });
    const result = await generateText({ model: wrapped, prompt: QUESTION, providerOptions: { ponder: { strategy: "majority", budget: 3 } } });
    assert.equal(calls.length, 3);
    assert.equal(ponderMetadata(result)!.strategy, "majority");

    assert.throws(() => ponderMiddleware({ strategy: "beam-search", budget: 4 }), (e: unknown) => e instanceof InvalidOptionError && /verifier/.test(e.message));
    assert.throws(() => ponderMiddleware({ strategy: "revisions", budget: 4, verifier: prm.verifier }), /strategy: "revisions"; expected majority, best-of-n/);
    assert.throws(() => ponderMiddleware({ budget: 0, verifier: prm.verifier }), /budget.generations: 0/);
    await assert.rejects(generateText({ model: wrapped, prompt: QUESTION, providerOptions: { ponder: { budget: -1 } } }), /providerOptions\.ponder: invalid budget\.generations: -1; expected an integer from 1 to \d+/);
  });

  it("passes calls with tools to the model unsearched, with a warning", async () => {
    const { model, calls } = countingModel(ponderLanguageModel(policy.generator));
    const wrapped = wrapLanguageModel({ model, middleware: ponderMiddleware({ budget: 4, verifier: prm.verifier }) });
    const result = await generateText({
      model: wrapped,
      prompt: QUESTION,
      tools: { add: { description: "adds two numbers", inputSchema: jsonSchema({ type: "object", properties: { a: { type: "number" }, b: { type: "number" } } }) } },
      toolChoice: "none",
    });
    assert.equal(calls.length, 1);
    assert.ok(result.warnings?.some((w) => w.type === "other" && /unsearched/.test(w.message)));
  });
});
