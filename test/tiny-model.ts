import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeGguf } from "../src/gguf/gguf-writer.js";
import { llamaGguf, randomLlamaWeights, type LlamaConfig, type LlamaWeights } from "../src/gguf/llama-model.js";
import { buildSpmVocab, SPM_SPACE, type SpmVocab } from "../src/gguf/spm-vocab.js";

/** Printable ASCII, newline and a few words: enough for plumbing tests with readable output. */
export const TINY_PIECES = [
  "\n",
  ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)),
  " the",
  " answer",
  " is",
  "The answer is",
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

/**
 * What the "arithmetic" variant mostly writes: digits, " + ", " = ", newlines, "The answer is"
 * and end-of-sequence. Random weights, but biased towards these tokens, so step-wise searches see
 * real steps, final answers and finished solutions rather than noise that never ends.
 */
const FAVOURED = [..."0123456789+= \n", "The answer is"];

const made = new Map<string, Promise<string>>();

/**
 * Writes (once per process) a tiny random-weight llama GGUF and returns its path.
 * `arithmetic` biases the output towards step-like text (see FAVOURED).
 */
export function tinyModelPath({ seed = 1, byteFallback = true, arithmetic = false }: { seed?: number; byteFallback?: boolean; arithmetic?: boolean } = {}): Promise<string> {
  const key = `${seed}-${byteFallback}-${arithmetic}`;
  let path = made.get(key);
  if (!path) {
    path = write(key, seed, byteFallback, arithmetic);
    made.set(key, path);
  }
  return path;
}

async function write(key: string, seed: number, byteFallback: boolean, arithmetic: boolean): Promise<string> {
  const vocab = buildSpmVocab(TINY_PIECES, { byteFallback });
  const config = TINY_CONFIG(vocab.tokens.length);
  const weights = randomLlamaWeights(config, seed);
  if (arithmetic) favour(weights, vocab, config);
  const path = join(mkdtempSync(join(tmpdir(), "ponder-tiny-")), `tiny-${key}.gguf`);
  await writeGguf(path, llamaGguf(config, vocab, weights, { name: `tiny-${key}` }));
  return path;
}

/**
 * Gives every token embedding a large constant component on dimension 0, which survives the
 * final RMSNorm, and reads it out only into the favoured tokens' logits (EOS a little less).
 */
function favour(weights: LlamaWeights, vocab: SpmVocab, config: LlamaConfig): void {
  const embed = weights.get("token_embd.weight")!.data;
  const output = weights.get("output.weight")!.data;
  const dim = config.dim;
  for (let t = 0; t < config.vocabSize; t++) {
    embed[t * dim] = 3;
    output[t * dim] = 0;
  }
  for (const piece of FAVOURED) output[vocab.tokens.indexOf(piece.replaceAll(" ", SPM_SPACE)) * dim] = 2.2;
  output[vocab.tokens.indexOf("\n") * dim] = 2.7;
  output[vocab.eos * dim] = 1.7;
}
