import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LlamaEngine } from "../../src/backends/llama/llama-engine.js";
import { writeGguf } from "../../src/gguf/gguf-writer.js";
import { llamaGguf, randomLlamaWeights } from "../../src/gguf/llama-model.js";
import { demoVocab } from "../../src/models/demo-vocab.js";

/** llama.cpp's own tokenizer for the demo vocabulary, so training ids equal what the engine sees at inference. */
export interface DemoTokenizer {
  /** Ids of `text` without BOS. */
  tokenize(text: string): number[];
  readonly bos: number;
  readonly eos: number;
  /** The id of a piece that must be one token (throws otherwise). */
  single(piece: string): number;
  dispose(): Promise<void>;
}

/** Loads the demo vocabulary into llama.cpp through a throwaway model with tiny random weights. */
export async function loadDemoTokenizer(): Promise<DemoTokenizer> {
  const vocab = demoVocab();
  const config = { vocabSize: vocab.tokens.length, dim: 8, layers: 1, heads: 1, ffnDim: 8, contextLength: 64, tiedEmbeddings: true };
  const dir = mkdtempSync(join(tmpdir(), "ponder-vocab-"));
  const path = join(dir, "vocab.gguf");
  await writeGguf(path, llamaGguf(config, vocab, randomLlamaWeights(config, 1), { name: "demo-vocab" }));
  const engine = await LlamaEngine.load({ model: path, threads: 1, sequences: 1, contextSize: 64 });
  return {
    tokenize: (text) => engine.tokenize(text).map(Number),
    bos: vocab.bos,
    eos: vocab.eos,
    single(piece) {
      const ids = engine.tokenize(piece);
      if (ids.length !== 1) throw new Error(`${JSON.stringify(piece)} is ${ids.length} tokens in the demo vocabulary, expected 1`);
      return Number(ids[0]);
    },
    async dispose() {
      await engine.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
