import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startLlamaServer, llamaServerSkipReason, type LlamaServer } from "../../../test/llama-server.js";
import { addUsage, totalUsage, type Usage } from "../../core/usage.js";
import { loadSynthetic } from "../../datasets/synthetic/load-synthetic.js";
import { syntheticAnswerReader } from "../../datasets/synthetic/synthetic-answer-reader.js";
import { defaultModelPath } from "../../models/default-models.js";
import { deepConfOnline } from "../../strategies/deepconf-online.js";
import { demoTemplate } from "../../templates/templates.js";
import { LlamaEngine } from "../llama/llama-engine.js";
import { OpenAIClient } from "./openai-client.js";
import { OpenAIGenerator } from "./openai-generator.js";

const problem = loadSynthetic({ levels: "5", count: 1, seed: 3 })[0]!;

describe("token confidence and early stopping over llama.cpp's server (streaming)", { skip: llamaServerSkipReason() }, () => {
  let server: LlamaServer;
  let engine: LlamaEngine;
  let generator: OpenAIGenerator;
  before(async () => {
    server = await startLlamaServer({ model: defaultModelPath("policy-small"), slots: 4 });
    engine = await LlamaEngine.load({ model: defaultModelPath("policy-small"), threads: 1, sequences: 2 });
    // ignore_eos: a continuation not stopped runs to maxTokens, so a stop that does not reach the server shows in its counters.
    generator = new OpenAIGenerator({ client: new OpenAIClient({ baseURL: server.baseURL }), model: "policy-small", template: demoTemplate, parameters: engine.parameters, extraBody: { ignore_eos: true } });
  });
  after(async () => {
    await server?.close();
    await engine?.dispose();
  });

  it("measures each token's confidence as the embedded engine measures it on the same tokens", async () => {
    for (const signal of ["top-k", "likelihood"] as const) {
      const { continuations } = await generator.generate({ problem, until: "solution", confidence: { signal }, sampling: { temperature: 0.8, maxTokens: 24, seed: 5 } });
      const c = continuations[0]!;
      assert.equal(c.tokenConfidences!.length, c.completionTokens);
      const prompt = engine.tokenize(demoTemplate.render(problem), { bos: true });
      const tokens = [...prompt, ...engine.tokenize(c.text)];
      const { logprobs } = await engine.logprobsAt(tokens, prompt.length, 20);
      const embedded = logprobs.map(({ top, chosen }) => (signal === "likelihood" ? chosen : -top.reduce((s, x) => s + x, 0) / 20));
      // The server's text re-tokenized may split differently; compare where the counts agree.
      if (embedded.length === c.tokenConfidences!.length) c.tokenConfidences!.forEach((x, i) => assert.ok(Math.abs(x - embedded[i]!) < 5e-3, `${signal} token ${i}: ${x} vs ${embedded[i]}`));
      const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
      assert.ok(Math.abs(mean(c.tokenConfidences!) - mean(embedded)) < 0.02 * Math.abs(mean(embedded)) + 1e-3);
    }
  });

  it("closing a stream stops the server: it generates about what ponder counted, not maxTokens", async () => {
    const before = await server.metrics();
    const result = await generator.generate({
      problem,
      until: "solution",
      n: 3,
      confidence: {},
      onToken: (t) => (t.count === 6 ? "stop" : undefined),
      sampling: { temperature: 0.8, maxTokens: 400, seed: 9 },
    });
    await new Promise((r) => setTimeout(r, 500));
    const after = await server.metrics();
    for (const c of result.continuations) {
      assert.equal(c.finishReason, "stopped");
      assert.equal(c.completionTokens, 6);
    }
    const counted = totalUsage(result.usage).completionTokens;
    const generated = after.tokens_predicted_total! - before.tokens_predicted_total!;
    assert.equal(counted, 18);
    assert.ok(generated >= counted && generated < counted + 3 * 64, `the server generated ${generated} tokens for ${counted} counted (3 × 400 had it not stopped)`);
    assert.ok(result.usage[generator.modelId]!.promptTokens + result.usage[generator.modelId]!.cachedPromptTokens >= 0);
  });

  it("runs deepconf-online end to end, counting every stopped stream's tokens", async () => {
    const plain = new OpenAIGenerator({ client: new OpenAIClient({ baseURL: server.baseURL }), model: "policy-small", template: demoTemplate, parameters: engine.parameters });
    const hard = loadSynthetic({ levels: "9", count: 1, seed: 3 })[0]!;
    const result = await deepConfOnline(hard, { generator: plain, answers: syntheticAnswerReader }, { budget: { generations: 12 }, seed: 3, maxTokens: 200, keepPercent: 10 });
    const own = result.candidates.reduce<Usage>((sum, c) => addUsage(sum, c.usage!), {});
    assert.equal(totalUsage(result.usage).completionTokens, totalUsage(own).completionTokens);
    const stopped = result.candidates.filter((c) => c.finishReason === "step");
    assert.ok(stopped.length > 0, `some traces stopped (${JSON.stringify(result.details)})`);
    assert.equal(result.details.stopped, stopped.length);
    for (const c of stopped) assert.equal(c.answerKey, null);
  });
});
