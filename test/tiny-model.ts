import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeGguf } from "../src/gguf/gguf-writer.js";
import { llamaGguf, randomLlamaWeights, type LlamaConfig } from "../src/gguf/llama-model.js";
import { buildSpmVocab } from "../src/gguf/spm-vocab.js";

/** Printable ASCII, newline and a few words: enough for plumbing tests with readable output. */
export const TINY_PIECES = [
  "\n",
  ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)),
  " the",
  " answer",
  " is",
  "The",
  " ки",
];

export const TINY_CONFIG = (vocabSize: number): LlamaConfig => ({
  vocabSize,
  dim: 32,
  layers: 2,
  heads: 2,
  ffnDim: 64,
  contextLength: 512,
});

const made = new Map<string, string>();

/** Writes (once per process) a tiny random-weight llama GGUF and returns its path. */
export async function tinyModelPath({ seed = 1, byteFallback = true }: { seed?: number; byteFallback?: boolean } = {}): Promise<string> {
  const key = `${seed}-${byteFallback}`;
  const existing = made.get(key);
  if (existing) return existing;
  const vocab = buildSpmVocab(TINY_PIECES, { byteFallback });
  const config = TINY_CONFIG(vocab.tokens.length);
  const dir = mkdtempSync(join(tmpdir(), "ponder-tiny-"));
  const path = join(dir, `tiny-${key}.gguf`);
  await writeGguf(path, llamaGguf(config, vocab, randomLlamaWeights(config, seed), { name: `tiny-${key}` }));
  made.set(key, path);
  return path;
}
