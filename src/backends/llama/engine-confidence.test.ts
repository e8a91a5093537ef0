import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { TINY_PIECES, tinyModelPath } from "../../../test/tiny-model.js";
import { buildSpmVocab } from "../../gguf/spm-vocab.js";
import { tokenConfidence } from "../../core/token-confidence.js";
import { demoTemplate } from "../../templates/templates.js";
import { LlamaEngine } from "./llama-engine.js";
import { LlamaGenerator } from "./llama-generator.js";

const sampling = { temperature: 0.8, seed: 3, maxTokens: 40 };
const topK20 = { signal: "top-k" as const, topK: 20 };

describe("token confidence and early stopping on the embedded engine", () => {
  let engine: LlamaEngine;
  before(async () => {
    engine = await LlamaEngine.load({ model: await tinyModelPath({ arithmetic: true }), threads: 1, sequences: 4, contextSize: 256 });
  });
  after(() => engine.dispose());
  const prompt = () => engine.tokenize("Q: 3 + 4\nA:\n", { bos: true });

  it("draws the same tokens whether or not confidence is measured", async () => {
    for (const seed of [1, 2, 3]) {
      const plain = await engine.complete(prompt(), { sampling: { ...sampling, seed } });
      const measured = await engine.complete(prompt(), { sampling: { ...sampling, seed }, confidence: topK20 });
      assert.deepEqual(measured.tokens, plain.tokens);
      assert.equal(measured.tokenConfidences!.length, measured.tokens.length);
      assert.equal(plain.tokenConfidences, undefined);
    }
  });

  it("measures the model's own top-20 confidence, as a separate forward pass reads it, whatever the temperature", async () => {
    const vocab = buildSpmVocab(TINY_PIECES).tokens.length;
    const everyToken = Array.from({ length: vocab }, (_, i) => i) as unknown as ReturnType<LlamaEngine["tokenize"]>;
    for (const temperature of [0.8, 1.3]) {
      const c = await engine.complete(prompt(), { sampling: { ...sampling, temperature, maxTokens: 12 }, confidence: topK20 });
      const all = [...prompt(), ...c.tokens];
      const positions = c.tokens.map((_, i) => prompt().length - 1 + i);
      const { logits } = await engine.logitsAt(all, positions.map((position) => ({ position, candidates: everyToken })));
      const expected = logits.map((row) => {
        const max = Math.max(...row);
        const z = max + Math.log(row.reduce((s, l) => s + Math.exp(l - max), 0));
        return tokenConfidence(row.map((l) => l - z), 20);
      });
      c.tokenConfidences!.forEach((got, i) => assert.ok(Math.abs(got - expected[i]!) < 1e-3, `T=${temperature} token ${i}: ${got} vs ${expected[i]}`));
    }
  });

  it("shows every token to onToken and stops at once when told, counting the tokens written", async () => {
    const seen: { count: number; confidence?: number }[] = [];
    const c = await engine.complete(prompt(), {
      sampling,
      confidence: topK20,
      onToken: (t) => {
        seen.push(t);
        return t.count === 5 ? "stop" : undefined;
      },
    });
    assert.equal(c.finishReason, "stopped");
    assert.equal(c.completionTokens, 5);
    assert.equal(c.tokens.length, 5);
    assert.deepEqual(seen.map((t) => t.count), [1, 2, 3, 4, 5]);
    assert.deepEqual(seen.map((t) => t.confidence), c.tokenConfidences);
    const whole = await engine.complete(prompt(), { sampling, confidence: topK20 });
    assert.deepEqual(c.tokens, whole.tokens.slice(0, 5), "the stopped completion is the whole one's beginning");
  });

  it("frees a stopped completion's sequence for the next request", async () => {
    const single = await LlamaEngine.load({ model: await tinyModelPath({ arithmetic: true }), threads: 1, sequences: 1, contextSize: 256 });
    try {
      const order: string[] = [];
      const long = { ...sampling, maxTokens: 200 };
      const stopped = single.complete(prompt(), { sampling: long, onToken: (t) => (t.count === 2 ? "stop" : undefined) }).then((c) => (order.push("stopped"), c));
      const waiting = single.complete(prompt(), { sampling: { ...long, maxTokens: 3 } }).then((c) => (order.push("waiting"), c));
      const [a, b] = await Promise.all([stopped, waiting]);
      assert.equal(a.completionTokens, 2);
      assert.equal(b.completionTokens <= 3, true);
      assert.deepEqual(order, ["stopped", "waiting"]);
    } finally {
      await single.dispose();
    }
  });

  it("keeps a natural ending when the token that ends a completion is also told to stop", async () => {
    const whole = await engine.complete(prompt(), { sampling: { ...sampling, maxTokens: 6 } });
    const c = await engine.complete(prompt(), { sampling: { ...sampling, maxTokens: 6 }, onToken: (t) => (t.count === 6 ? "stop" : undefined) });
    assert.equal(c.finishReason, whole.finishReason);
  });

  it("tells the generator's caller which continuation wrote each token, and stops only that one", async () => {
    const generator = new LlamaGenerator(engine, demoTemplate);
    const counts = [0, 0, 0];
    const result = await generator.generate({
      problem: { id: "p", question: "3 + 4" },
      until: "solution",
      n: 3,
      sampling: { ...sampling, maxTokens: 20 },
      confidence: {},
      onToken: (t) => {
        counts[t.continuation]!++;
        return t.continuation === 1 && t.count === 4 ? "stop" : undefined;
      },
    });
    const [first, second, third] = result.continuations;
    assert.equal(second!.finishReason, "stopped");
    assert.equal(second!.completionTokens, 4);
    assert.equal(counts[1], 4);
    assert.notEqual(first!.finishReason, "stopped");
    assert.notEqual(third!.finishReason, "stopped");
    assert.equal(first!.tokenConfidences!.length, counts[0]);
    const total = result.continuations.reduce((s, c) => s + c.completionTokens, 0);
    assert.equal(result.usage[engine.modelId]!.completionTokens, total, "a stopped continuation's tokens are counted");
  });

  it("rejects a bad confidence request naming the field", async () => {
    const generator = new LlamaGenerator(engine, demoTemplate);
    const request = { problem: { id: "p", question: "3 + 4" }, until: "solution" as const, sampling };
    await assert.rejects(generator.generate({ ...request, confidence: { topK: 0 } }), (e: Error & { field?: string }) => e.field === "confidence.topK");
    await assert.rejects(generator.generate({ ...request, confidence: { signal: "entropy" as "top-k" } }), (e: Error & { field?: string }) => e.field === "confidence.signal");
    await assert.rejects(generator.generate({ ...request, onToken: "stop" as never }), (e: Error & { field?: string }) => e.field === "onToken");
  });
});
