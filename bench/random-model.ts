import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeGguf } from "../src/gguf/gguf-writer.js";
import { llamaGguf, llamaParameterCount, randomLlamaWeights, type LlamaConfig } from "../src/gguf/llama-model.js";
import { buildSpmVocab } from "../src/gguf/spm-vocab.js";

/** A random-weight llama GGUF the size of a small demo model, for benchmarks that need no trained weights. */
export async function benchModel({ dim = 256, layers = 4 }: { dim?: number; layers?: number } = {}): Promise<{ path: string; parameters: number }> {
  const vocab = buildSpmVocab(["\n", ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i))]);
  const config: LlamaConfig = { vocabSize: vocab.tokens.length, dim, layers, heads: dim / 64, ffnDim: dim * 3, contextLength: 1024 };
  const path = join(mkdtempSync(join(tmpdir(), "ponder-bench-")), "bench.gguf");
  await writeGguf(path, llamaGguf(config, vocab, randomLlamaWeights(config, 42), { name: "bench" }));
  return { path, parameters: llamaParameterCount(config) };
}
