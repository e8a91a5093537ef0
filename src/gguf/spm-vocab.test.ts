import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LlamaEngine } from "../backends/llama/llama-engine.js";
import { writeGguf } from "./gguf-writer.js";
import { llamaGguf, randomLlamaWeights } from "./llama-model.js";
import { buildSpmVocab, SPM_SPACE } from "./spm-vocab.js";

describe("buildSpmVocab", () => {
  it("puts unk, bos, eos and the 256 byte tokens first", () => {
    const vocab = buildSpmVocab(["a"]);
    assert.deepEqual(vocab.tokens.slice(0, 4), ["<unk>", "<s>", "</s>", "<0x00>"]);
    assert.equal(vocab.tokens[258], "<0xFF>");
    assert.equal(vocab.tokens.length, 260);
  });

  it("adds the prefixes a multi-character piece is merged through", () => {
    const vocab = buildSpmVocab(["a", "p", "l", "e", " ", " apple"]);
    for (const t of [`${SPM_SPACE}a`, `${SPM_SPACE}ap`, `${SPM_SPACE}app`, `${SPM_SPACE}appl`, `${SPM_SPACE}apple`]) assert.ok(vocab.tokens.includes(t), t);
  });

  describe("tokenized by llama.cpp", () => {
    let engine: LlamaEngine;
    let vocab: ReturnType<typeof buildSpmVocab>;
    before(async () => {
      vocab = buildSpmVocab([..."abcdelpxyz 0123456789\n", " apple", "The answer is"]);
      const config = { vocabSize: vocab.tokens.length, dim: 16, layers: 1, heads: 2, ffnDim: 32, contextLength: 64 };
      const path = join(mkdtempSync(join(tmpdir(), "ponder-vocab-")), "v.gguf");
      await writeGguf(path, llamaGguf(config, vocab, randomLlamaWeights(config, 3), { name: "vocab" }));
      engine = await LlamaEngine.load({ model: path, sequences: 1, contextSize: 64 });
    });
    after(() => engine.dispose());

    it("merges listed pieces into single tokens", () => {
      assert.deepEqual(engine.tokenize(" apple"), [vocab.tokens.indexOf(`${SPM_SPACE}apple`)]);
      assert.deepEqual(engine.tokenize("The answer is"), [vocab.tokens.indexOf(`The${SPM_SPACE}answer${SPM_SPACE}is`)]);
    });

    it("keeps digits as single characters and round-trips text", () => {
      const text = "The answer is 12 apple\nxyz";
      const tokens = engine.tokenize(text);
      assert.equal(engine.detokenize(tokens), text);
      assert.ok(tokens.map(Number).includes(vocab.tokens.indexOf("1")) && tokens.map(Number).includes(vocab.tokens.indexOf("2")));
    });

    it("falls back to bytes for characters outside the vocabulary", () => {
      assert.equal(engine.detokenize(engine.tokenize("é→ok")), "é→ok");
    });
  });
});
