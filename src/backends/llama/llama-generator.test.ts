import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { GenerationRequest } from "../../core/generator.js";
import { demoTemplate } from "../../templates/templates.js";
import { tinyModelPath } from "../../../test/tiny-model.js";
import { LlamaEngine } from "./llama-engine.js";
import { LlamaGenerator } from "./llama-generator.js";

const request = (id: string, seed: number): GenerationRequest => ({
  problem: { id, question: `What is ${seed} + 4?` },
  until: "solution",
  n: 3,
  sampling: { temperature: 0.8, maxTokens: 24, seed },
});

describe("LlamaGenerator over several contexts of one model", () => {
  let one: LlamaEngine;
  let first: LlamaEngine;
  let sibling: LlamaEngine;
  before(async () => {
    const model = await tinyModelPath({ arithmetic: true });
    one = await LlamaEngine.load({ model, threads: 1, sequences: 4, contextSize: 256 });
    first = await LlamaEngine.load({ model, threads: 1, sequences: 4, contextSize: 256 });
    sibling = await first.sibling();
  });
  after(async () => {
    await one.dispose();
    await first.dispose();
    await sibling.dispose();
  });

  it("spreads problems over the contexts and samples what one context samples", async () => {
    const single = new LlamaGenerator(one, demoTemplate);
    const spread = new LlamaGenerator([first, sibling], demoTemplate);
    const problems = [1, 2, 3, 4, 5, 6].map((seed) => request(`p${seed}`, seed));
    const [a, b] = await Promise.all([single, spread].map((g) => Promise.all(problems.map((r) => g.generate(r)))));
    b!.forEach((result, i) => {
      assert.deepEqual(
        result.continuations.map((c) => c.text),
        a![i]!.continuations.map((c) => c.text),
        `problem ${i + 1}`,
      );
      // The same work as one request sends it; what came from a cache differs (each context holds its own prefixes).
      const counts = (u: (typeof result)["usage"]) => Object.values(u).map(({ generations, completionTokens, processedPromptTokens }) => ({ generations, completionTokens, processedPromptTokens }));
      assert.deepEqual(counts(result.usage), counts(a![i]!.usage), `problem ${i + 1}`);
    });
    assert.ok(first.decodeStats.steps > 0 && sibling.decodeStats.steps > 0, "both contexts decoded");
    // A problem's later calls stay on its context, where its prefix is cached.
    const before = [first.decodeStats.tokens, sibling.decodeStats.tokens];
    const again = await spread.generate(request("p1", 1));
    assert.deepEqual(again.continuations.map((c) => c.text), a![0]!.continuations.map((c) => c.text));
    const grew = [first.decodeStats.tokens - before[0]!, sibling.decodeStats.tokens - before[1]!];
    assert.equal(grew.filter((g) => g > 0).length, 1, `one context served the repeat: ${grew}`);
  });

  it("shares the weights and frees them with the last context on them", async () => {
    const model = await tinyModelPath({ arithmetic: true });
    const owner = await LlamaEngine.load({ model, threads: 1, sequences: 2, contextSize: 128 });
    const other = await owner.sibling();
    assert.equal(other.raw.model, owner.raw.model);
    assert.notEqual(other.raw.context, owner.raw.context);
    await owner.dispose();
    assert.equal(owner.raw.model.disposed, false, "the sibling still uses the model");
    const prompt = other.tokenize("Q: 1 + 1\nA:\n", { bos: true });
    assert.ok((await other.complete(prompt, { sampling: { temperature: 0, seed: 1, maxTokens: 4 } })).completionTokens > 0);
    await other.dispose();
    assert.equal(owner.raw.model.disposed, true);
  });

  it("refuses engines of different models", async () => {
    const other = await LlamaEngine.load({ model: await tinyModelPath(), threads: 1, sequences: 2, contextSize: 128 });
    try {
      assert.throws(() => new LlamaGenerator([first, other], demoTemplate), /one model/);
    } finally {
      await other.dispose();
    }
  });
});
