import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { writeGguf } from "../../gguf/gguf-writer.js";
import { llamaGguf, randomLlamaWeights } from "../../gguf/llama-model.js";
import { buildSpmVocab } from "../../gguf/spm-vocab.js";
import { gguf } from "../../gguf/gguf-writer.js";
import { TINY_CONFIG, TINY_PIECES, tinyModelPath } from "../../../test/tiny-model.js";
import { AbortedError } from "../../core/errors/aborted-error.js";
import { ContextOverflowError } from "../../core/errors/context-overflow-error.js";
import { ModelLoadError } from "../../core/errors/model-load-error.js";
import { LlamaEngine } from "./llama-engine.js";

const sampling = { temperature: 0.8, seed: 11, maxTokens: 24 };

describe("LlamaEngine on a real tiny GGUF", () => {
  let engine: LlamaEngine;
  before(async () => {
    engine = await LlamaEngine.load({ model: await tinyModelPath(), threads: 1, sequences: 4, contextSize: 384 });
  });
  after(() => engine.dispose());

  it("counts the model's parameters from its tensors", () => {
    const vocab = buildSpmVocab(TINY_PIECES);
    const config = TINY_CONFIG(vocab.tokens.length);
    const expected = [...randomLlamaWeights(config, 1).values()].reduce((sum, w) => sum + w.data.length, 0);
    assert.equal(engine.parameters, expected);
  });

  it("gives the same completion for the same seed, and another for another seed", async () => {
    const prompt = engine.tokenize("The answer is", { bos: true });
    const a = await engine.complete(prompt, { sampling });
    const b = await engine.complete(prompt, { sampling });
    const c = await engine.complete(prompt, { sampling: { ...sampling, seed: 12 } });
    assert.equal(a.text, b.text);
    assert.notEqual(a.text, c.text);
    assert.equal(a.completionTokens, sampling.maxTokens);
    assert.equal(a.finishReason, "length");
  });

  it("is deterministic under concurrency: the same seeds give the same texts however calls interleave", async () => {
    const prompt = engine.tokenize("Q: 1 + 2\nA:\n", { bos: true });
    const run = () => Promise.all([0, 1, 2, 3, 4, 5].map((seed) => engine.complete(prompt, { sampling: { ...sampling, seed } })));
    const first = await run();
    const alone = await engine.complete(prompt, { sampling: { ...sampling, seed: 3 } });
    const second = await run();
    assert.deepEqual(first.map((c) => c.text), second.map((c) => c.text));
    assert.equal(alone.text, first[3]!.text);
  });

  it("evaluates a shared prefix once for many concurrent continuations", async () => {
    const prompt = engine.tokenize("z".repeat(120), { bos: true });
    const results = await Promise.all(Array.from({ length: 10 }, (_, seed) => engine.complete(prompt, { sampling: { ...sampling, seed } })));
    const evaluated = results.reduce((sum, r) => sum + r.promptTokens, 0);
    const cached = results.reduce((sum, r) => sum + r.cachedPromptTokens, 0);
    assert.ok(evaluated <= prompt.length + 9, `the prefix once, then only each continuation's last prompt token (${evaluated} evaluated)`);
    assert.equal(evaluated + cached, prompt.length * 10);
  });

  it("continues a prefix from an earlier request's cache", async () => {
    const base = engine.tokenize("w".repeat(60), { bos: true });
    const first = await engine.complete(base, { sampling });
    const longer = engine.tokenize("w".repeat(60) + "v".repeat(10), { bos: true });
    const second = await engine.complete(longer, { sampling });
    assert.ok(first.promptTokens >= base.length - 1);
    assert.equal(second.cachedPromptTokens, base.length);
    assert.equal(second.promptTokens, 10);
  });

  it("stops at a stop string and reports it", async () => {
    const prompt = engine.tokenize("x", { bos: true });
    for (let seed = 0; seed < 20; seed++) {
      const full = await engine.complete(prompt, { sampling: { ...sampling, seed, maxTokens: 40 } });
      const stop = full.text.slice(3, 4);
      if (stop.length === 0 || stop === "\uFFFD") continue;
      const cut = await engine.complete(prompt, { sampling: { ...sampling, seed, maxTokens: 40 }, stop: [stop] });
      assert.equal(cut.finishReason, "stop");
      assert.equal(cut.text, full.text.slice(0, full.text.indexOf(stop)));
      return;
    }
    assert.fail("no usable stop string found");
  });

  it("returns log-probabilities that are valid and match greedy confidence", async () => {
    const prompt = engine.tokenize("abc", { bos: true });
    const out = await engine.complete(prompt, { sampling: { ...sampling, temperature: 0 }, logprobs: true });
    assert.equal(out.tokenLogprobs?.length, out.completionTokens);
    for (const lp of out.tokenLogprobs!) assert.ok(lp <= 0 && lp > -50, `logprob ${lp}`);
  });

  it("reads logits of chosen tokens at chosen positions, the same as a fresh evaluation", async () => {
    const tokens = engine.tokenize("The answer is 7 ки", { bos: true });
    const candidates = [engine.tokenOf("+")!, engine.tokenOf("-")!];
    const queries = [{ position: 4, candidates }, { position: tokens.length - 1, candidates }];
    const a = await engine.logitsAt(tokens, queries);
    const b = await engine.logitsAt(tokens, queries);
    assert.equal(a.logits.length, 2);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) assert.ok(Math.abs(a.logits[i]![j]! - b.logits[i]![j]!) < 1e-4);
    assert.ok(b.cachedPromptTokens <= 4, "positions to read are evaluated again, never taken from cache");
  });

  it("refuses a prompt that does not fit the context", async () => {
    const prompt = engine.tokenize("y".repeat(370), { bos: true });
    await assert.rejects(engine.complete(prompt, { sampling: { ...sampling, maxTokens: 64 } }), ContextOverflowError);
  });

  it("stops when its signal aborts", async () => {
    const controller = new AbortController();
    const prompt = engine.tokenize("q", { bos: true });
    const pending = engine.complete(prompt, { sampling: { ...sampling, maxTokens: 300 }, signal: controller.signal });
    controller.abort(); // after the call has begun (its first check passed), before its first decode returns: no timer a fast engine can beat
    await assert.rejects(pending, AbortedError);
    const after = await engine.complete(prompt, { sampling });
    assert.equal(after.completionTokens, sampling.maxTokens, "the engine still works after an abort");
  });
});

describe("LlamaEngine errors and hostile text", () => {
  const dir = tmpdir();

  it("names a missing file", async () => {
    await assert.rejects(LlamaEngine.load({ model: join(dir, "nope.gguf") }), (e: unknown) => e instanceof ModelLoadError && e.reason === "missing-file");
  });

  it("names a file that is not a GGUF", async () => {
    const path = join(dir, `not-gguf-${process.pid}.gguf`);
    writeFileSync(path, "hello, I am text");
    await assert.rejects(LlamaEngine.load({ model: path }), (e: unknown) => e instanceof ModelLoadError && e.reason === "not-gguf");
  });

  it("names an unsupported architecture", async () => {
    const vocab = buildSpmVocab(TINY_PIECES);
    const config = TINY_CONFIG(vocab.tokens.length);
    const file = llamaGguf(config, vocab, randomLlamaWeights(config, 1), { name: "odd" });
    const path = join(dir, `odd-arch-${process.pid}.gguf`);
    await writeGguf(path, { ...file, metadata: { ...file.metadata, "general.architecture": gguf.string("no-such-arch") } });
    await assert.rejects(LlamaEngine.load({ model: path }), (e: unknown) => e instanceof ModelLoadError && e.reason === "unsupported-architecture" && /no-such-arch/.test(e.message));
  });

  it("rejects a context too small to hold anything", async () => {
    await assert.rejects(LlamaEngine.load({ model: await tinyModelPath(), contextSize: 4 }), (e: unknown) => e instanceof ModelLoadError && e.reason === "context-too-small");
  });

  it("never crashes on characters a vocabulary without byte fallback lacks", async () => {
    const engine = await LlamaEngine.load({ model: await tinyModelPath({ byteFallback: false }), threads: 1, sequences: 1, contextSize: 128 });
    try {
      const tokens = engine.tokenize("naïve 日本語 — ¿qué? 🙂", { bos: true });
      assert.ok(tokens.length > 5);
      const out = await engine.complete(tokens, { sampling: { ...sampling, maxTokens: 8 } });
      assert.ok(out.completionTokens >= 1 && out.completionTokens <= 8);
      assert.equal(typeof engine.detokenize(engine.tokenize(out.text)), "string");
    } finally {
      await engine.dispose();
    }
  });
});
