import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { tinyModelPath } from "../../../test/tiny-model.js";
import { contextOptions, type EngineCompletion, LlamaEngine } from "./llama-engine.js";
import { nativeAddonPath, nativeBinding } from "./native-binding.js";

const built = nativeBinding() !== null;
if (!built && process.env.CI) throw new Error(`ponder's native addon is not built (${nativeAddonPath()}): CI must run scripts/build-native.sh (see .ci/run)`);

const sampling = { temperature: 0.8, seed: 3, maxTokens: 40 };
const topK20 = { signal: "top-k" as const, topK: 20 };

function close(actual: readonly number[], expected: readonly number[]): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((x, i) => assert.ok(Math.abs(x - expected[i]!) <= 1e-5 * Math.max(1, Math.abs(expected[i]!)), `${x} vs ${expected[i]} at ${i}`));
}

describe("the embedded engine's decode steps", () => {
  let native: LlamaEngine | undefined;
  let addon: LlamaEngine;
  before(async () => {
    const model = await tinyModelPath({ arithmetic: true });
    addon = await LlamaEngine.load({ model, threads: 1, sequences: 4, contextSize: 256, native: false });
    if (built) native = await LlamaEngine.load({ model, threads: 1, sequences: 4, contextSize: 256, native: true });
  });
  after(async () => {
    await addon.dispose();
    await native?.dispose();
  });
  const prompt = () => addon.tokenize("Q: 3 + 4\nA:\n", { bos: true });

  it("draw the tokens node-llama-cpp's own evaluation draws for the seed", async () => {
    // A context of node-llama-cpp's own on the same model, with the engine's settings.
    const context = await addon.raw.model.createContext(contextOptions({ contextSize: 256, sequences: 1, threads: 1, exact: true }));
    for (const seed of [1, 2, 3, 4]) {
      const c = await addon.complete(prompt(), { sampling: { ...sampling, seed } });
      // The engine draws the first token from the prompt's logits; node-llama-cpp's evaluation of
      // it then draws the rest with the chain seeded by `seed`, as the engine did before its driver.
      const sequence = context.getSequence();
      try {
        const reference = [c.tokens[0]!];
        await sequence.evaluateWithoutGeneratingNewTokens(prompt());
        const options = { temperature: sampling.temperature, topP: 1, minP: 0, topK: 0, seed: seed >>> 0, yieldEogToken: true };
        for await (const token of sequence.evaluate([c.tokens[0]!], options)) {
          if (addon.raw.model.isEogToken(token) || reference.length >= c.completionTokens) break;
          reference.push(token);
        }
        assert.deepEqual(c.tokens, reference.slice(0, c.tokens.length), `seed ${seed}`);
      } finally {
        await sequence.dispose();
      }
    }
    await context.dispose();
  });

  it("read the same tokens, log-probabilities, confidences and logits in ponder's native addon as in node-llama-cpp's", { skip: !built && "the native addon is not built (scripts/build-native.sh)" }, async () => {
    const engines = [addon, native!];
    const [a, b] = await Promise.all(
      engines.map((engine) =>
        Promise.all([1, 2, 3, 4, 5, 6].map((seed) => engine.complete(prompt(), { sampling: { ...sampling, seed, temperature: 1.2, topP: 0.9 }, logprobs: true, confidence: topK20 }))),
      ),
    );
    // Tokens exactly; numbers to float precision: llama.cpp's logits move in the last bits with
    // how requests share a batch (here the two paths batch differently), on either path.
    a!.forEach((x, i) => {
      const y = b![i]!;
      assert.deepEqual(y.tokens, x.tokens);
      assert.equal(y.text, x.text);
      assert.equal(y.finishReason, x.finishReason);
      close(y.tokenLogprobs!, x.tokenLogprobs!);
      close(y.tokenConfidences!, x.tokenConfidences!);
    });
    const tokens = [...prompt(), ...a![0]!.tokens];
    const queries = [3, 7, tokens.length - 1].map((position) => ({ position, candidates: tokens.slice(0, 5) }));
    const [la, lb] = await Promise.all(engines.map((engine) => engine.logitsAt(tokens, queries)));
    lb!.logits.forEach((row, i) => close(row, la!.logits[i]!));
    const [pa, pb] = await Promise.all(engines.map((engine) => engine.logprobsAt(tokens, prompt().length, 5)));
    pb!.logprobs.forEach((x, i) => {
      const y = pa!.logprobs[i]!;
      close(x.top, y.top);
      close([x.chosen], [y.chosen]);
    });
  });

  it("let the native step go on with generations by itself, with the tokens, texts and ends of the per-token path", { skip: !built && "the native addon is not built (scripts/build-native.sh)" }, async () => {
    // Without confidence or onToken the native step feeds drawn tokens back on its own; the addon
    // engine takes every token through JavaScript. Stop strings and token limits must cut both at
    // the same token, and tokens drawn past a cut must not leak into later requests of the sequence.
    const cases = [
      { label: "no stop", options: { sampling, logprobs: true } },
      { label: "a stop string", options: { sampling: { ...sampling, maxTokens: 60 }, stop: ["\n"] } },
      { label: "two stop strings", options: { sampling: { ...sampling, maxTokens: 60 }, stop: [" + ", "="] } },
      { label: "a token limit", options: { sampling: { ...sampling, maxTokens: 3 } } },
    ];
    const before = native!.decodeStats;
    for (const { label, options } of cases) {
      const [a, b] = await Promise.all([addon, native!].map((engine) => Promise.all([1, 2, 3, 4].map((seed) => engine.complete(prompt(), { ...options, sampling: { ...options.sampling, seed } })))));
      a!.forEach((x, i) => {
        const y = b![i]!;
        assert.deepEqual(y.tokens, x.tokens, `${label}, seed ${i + 1}`);
        assert.equal(y.text, x.text, label);
        assert.equal(y.finishReason, x.finishReason, label);
        assert.equal(y.completionTokens, x.completionTokens, label);
        if (x.tokenLogprobs) close(y.tokenLogprobs!, x.tokenLogprobs);
      });
      // A follow-up on each completion's text reuses its sequence's cache as far as it holds the same tokens.
      const followUps = (engine: LlamaEngine, completions: readonly EngineCompletion[]) =>
        Promise.all(completions.map((c, i) => engine.complete([...prompt(), ...c.tokens], { sampling: { ...sampling, maxTokens: 8, seed: 10 + i } })));
      const [fa, fb] = await Promise.all([followUps(addon, a!), followUps(native!, b!)]);
      fa!.forEach((x, i) => assert.deepEqual(fb![i]!.tokens, x.tokens, `${label}: follow-up ${i + 1}`));
    }
    const after = native!.decodeStats;
    assert.ok(after.calls < after.steps - before.steps + before.calls, `${after.calls - before.calls} calls for ${after.steps - before.steps} steps: generations never went on by themselves`);
  });

  it("decode concurrent completions together, a step for all of them", async () => {
    for (const engine of [addon, native].filter((e) => e !== undefined)) {
      const before = engine.decodeStats;
      const completions = await Promise.all([1, 2, 3, 4].map((seed) => engine.complete(prompt(), { sampling: { ...sampling, seed, temperature: 0.5 } })));
      const after = engine.decodeStats;
      const longest = Math.max(...completions.map((c) => c.completionTokens));
      // One step per token of the longest, plus the prompt's and a few for sequences that start a turn late.
      assert.ok(after.steps - before.steps <= longest + 4, `${after.steps - before.steps} steps for 4 completions of at most ${longest} tokens (native: ${engine.native})`);
    }
  });
});
