// The four shipped demo GGUFs: each loads in llama.cpp, has exactly the demo vocabulary, and gives
// the logits its PyTorch trainer computed (models/<name>.reference.json) to within 1e-3.
// A missing model file fails the test: the models are part of the package.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { readGgufFileInfo, type Token } from "node-llama-cpp";
import { LlamaEngine } from "../backends/llama/llama-engine.js";
import { DEMO_MODEL_NAMES, defaultModels, MODELS_DIRECTORY } from "./default-models.js";
import { demoVocab } from "./demo-vocab.js";

/** Largest |llama.cpp − PyTorch| logit difference accepted (exact mode: F32 KV cache, no flash attention). */
const TOLERANCE = 1e-3;

interface ReferenceLogits {
  /** Input token ids, BOS first. */
  ids: number[];
  /** Positions whose next-token logits were recorded. */
  positions: number[];
  /** Full-vocabulary logits at each position. */
  logits: number[][];
}

describe("shipped demo models", () => {
  for (const name of DEMO_MODEL_NAMES) {
    describe(name, () => {
      const path = defaultModels[name];
      const referencePath = join(MODELS_DIRECTORY, `${name}.reference.json`);

      it("exists with its reference logits", () => {
        assert.ok(existsSync(path), `${path} is missing; rebuild it with the commands in training/README.md`);
        assert.ok(existsSync(referencePath), `${referencePath} is missing; training/export-gguf.ts writes it next to the GGUF`);
      });

      it("has exactly the demo vocabulary", async () => {
        assert.ok(existsSync(path), `${path} is missing`);
        const info = await readGgufFileInfo(path, { readTensorInfo: false });
        const ggml = (info.metadata as unknown as { tokenizer: { ggml: { model: string; tokens: string[]; scores: number[]; token_type: number[] } } }).tokenizer.ggml;
        const vocab = demoVocab();
        assert.equal(ggml.model, "llama");
        assert.deepEqual([...ggml.tokens], vocab.tokens);
        assert.deepEqual([...ggml.token_type], vocab.types);
        assert.deepEqual([...ggml.scores].map((s) => Math.fround(s)), vocab.scores.map((s) => Math.fround(s)));
      });

      it(`matches the trainer's logits within ${TOLERANCE} in exact mode`, async (t) => {
        assert.ok(existsSync(path), `${path} is missing`);
        const reference = JSON.parse(await readFile(referencePath, "utf8")) as ReferenceLogits;
        assert.ok(reference.positions.length > 0 && reference.logits.length === reference.positions.length, `${referencePath} holds no logits`);
        const engine = await LlamaEngine.load({ model: path, threads: 1, sequences: 1, contextSize: Math.max(64, reference.ids.length + 8), exact: true });
        try {
          const vocabSize = reference.logits[0]!.length;
          assert.equal(vocabSize, demoVocab().tokens.length);
          const candidates = Array.from({ length: vocabSize }, (_, i) => i as Token);
          const { logits } = await engine.logitsAt(
            reference.ids as Token[],
            reference.positions.map((position) => ({ position, candidates })),
          );
          let worst = { delta: 0, position: -1, token: -1 };
          logits.forEach((row, q) =>
            row.forEach((value, token) => {
              const delta = Math.abs(value - reference.logits[q]![token]!);
              if (!(delta <= worst.delta)) worst = { delta, position: reference.positions[q]!, token };
            }),
          );
          t.diagnostic(`${name}: largest |Δ logit| ${worst.delta.toExponential(2)} over ${reference.positions.length} positions × ${vocabSize} tokens`);
          assert.ok(worst.delta <= TOLERANCE, `${name}: logit of token ${worst.token} at position ${worst.position} differs by ${worst.delta} (> ${TOLERANCE})`);
        } finally {
          await engine.dispose();
        }
      });
    });
  }
});
