import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeGguf } from "../src/gguf/gguf-writer.js";
import { llamaGguf, llamaTensorShapes, type LlamaConfig, type LlamaWeights } from "../src/gguf/llama-model.js";
import { buildSpmVocab, SPM_SPACE } from "../src/gguf/spm-vocab.js";
import { TINY_PIECES } from "./tiny-model.js";

/** The end-of-sequence token in a transition's target. */
export const EOS = "</s>";

/** Any token without a transition of its own, in a transition's source. */
export const OTHER = "*";

/**
 * A next-token rule of a scripted model: after `from` (a piece of the tiny vocabulary, or OTHER)
 * the model writes `to` (a piece, or EOS) with near certainty.
 */
export type Transition = readonly [from: string, to: string];

const made = new Map<string, Promise<string>>();

/**
 * A real llama GGUF whose output is fixed by hand: every layer's weights are zero, so the residual
 * stream is the token embedding and each next token depends only on the current one (a bigram
 * model). Each source token gets its own embedding direction and the output projection maps it
 * to its target with a logit margin of ~32, so sampling at any temperature follows the script.
 * Lets tests see exact texts, stop reasons and verdicts through the real engine.
 * @example await scriptedModelPath([[OTHER, "S"], ["S", "c"], ["c", EOS]]) // writes "Sc" then stops
 */
export function scriptedModelPath(transitions: readonly Transition[]): Promise<string> {
  const key = JSON.stringify(transitions);
  let path = made.get(key);
  if (!path) {
    path = write(transitions);
    made.set(key, path);
  }
  return path;
}

async function write(transitions: readonly Transition[]): Promise<string> {
  const vocab = buildSpmVocab(TINY_PIECES);
  const id = (piece: string): number => {
    const i = piece === EOS ? vocab.eos : vocab.tokens.indexOf(piece.replaceAll(" ", SPM_SPACE));
    if (i < 0) throw new Error(`scripted model: ${JSON.stringify(piece)} is not a token of the tiny vocabulary`);
    return i;
  };
  const sources = transitions.filter(([from]) => from !== OTHER).map(([from]) => id(from));
  if (new Set(sources).size !== sources.length) throw new Error("scripted model: a token has two transitions");
  const dim = 8 * Math.ceil((sources.length + 1) / 8);
  const config: LlamaConfig = { vocabSize: vocab.tokens.length, dim, layers: 1, heads: 1, ffnDim: 8, contextLength: 512 };
  const weights: LlamaWeights = new Map();
  for (const [name, shape] of llamaTensorShapes(config)) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    if (name.endsWith("norm.weight")) data.fill(1);
    weights.set(name, { shape, data });
  }
  const embed = weights.get("token_embd.weight")!.data;
  const output = weights.get("output.weight")!.data;
  // Direction 0 is every token without a rule of its own; direction k + 1 is the k-th source.
  for (let t = 0; t < config.vocabSize; t++) embed[t * dim + Math.max(0, sources.indexOf(t) + 1)] = 1;
  for (const [from, to] of transitions) {
    const direction = from === OTHER ? 0 : sources.indexOf(id(from)) + 1;
    output[id(to) * dim + direction] = 32 / Math.sqrt(dim);
  }
  const path = join(mkdtempSync(join(tmpdir(), "ponder-scripted-")), "scripted.gguf");
  await writeGguf(path, llamaGguf(config, vocab, weights, { name: "scripted" }));
  return path;
}
