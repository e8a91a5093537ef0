import { createRng } from "../core/rng.js";
import { gguf, type GgufFile, type GgufTensor, type GgufValue } from "./gguf-writer.js";
import type { SpmVocab } from "./spm-vocab.js";

/** Shape of a llama-architecture transformer. */
export interface LlamaConfig {
  vocabSize: number;
  /** Embedding width. */
  dim: number;
  layers: number;
  heads: number;
  /** Key/value heads (grouped-query attention); defaults to `heads`. */
  kvHeads?: number;
  /** Hidden width of the SwiGLU feed-forward block. */
  ffnDim: number;
  contextLength: number;
  ropeTheta?: number;
  rmsEps?: number;
  /** Share the output projection with the token embedding. */
  tiedEmbeddings?: boolean;
}

/** Weights by GGUF tensor name, each in PyTorch (out, in) order. */
export type LlamaWeights = Map<string, { shape: number[]; data: Float32Array }>;

/** The tensors a llama model needs, with their PyTorch shapes. */
export function llamaTensorShapes(config: LlamaConfig): Map<string, number[]> {
  const { vocabSize, dim, layers, heads, ffnDim } = config;
  const headDim = dim / heads;
  const kvDim = (config.kvHeads ?? heads) * headDim;
  const shapes = new Map<string, number[]>([
    ["token_embd.weight", [vocabSize, dim]],
    ["output_norm.weight", [dim]],
  ]);
  if (!config.tiedEmbeddings) shapes.set("output.weight", [vocabSize, dim]);
  for (let l = 0; l < layers; l++) {
    const p = `blk.${l}.`;
    shapes.set(`${p}attn_norm.weight`, [dim]);
    shapes.set(`${p}attn_q.weight`, [dim, dim]);
    shapes.set(`${p}attn_k.weight`, [kvDim, dim]);
    shapes.set(`${p}attn_v.weight`, [kvDim, dim]);
    shapes.set(`${p}attn_output.weight`, [dim, dim]);
    shapes.set(`${p}ffn_norm.weight`, [dim]);
    shapes.set(`${p}ffn_gate.weight`, [ffnDim, dim]);
    shapes.set(`${p}ffn_up.weight`, [ffnDim, dim]);
    shapes.set(`${p}ffn_down.weight`, [dim, ffnDim]);
  }
  return shapes;
}

/** Parameters of a llama model (the N in 2·N·D FLOPs). */
export function llamaParameterCount(config: LlamaConfig): number {
  let n = 0;
  for (const shape of llamaTensorShapes(config).values()) n += shape.reduce((a, b) => a * b, 1);
  return n;
}

/** Seeded random weights: enough for plumbing tests, which need a real model but not a trained one. */
export function randomLlamaWeights(config: LlamaConfig, seed: number): LlamaWeights {
  const rng = createRng(seed);
  const weights: LlamaWeights = new Map();
  for (const [name, shape] of llamaTensorShapes(config)) {
    const size = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    if (name.endsWith("norm.weight")) data.fill(1);
    else {
      const scale = 1 / Math.sqrt(shape[shape.length - 1]!);
      for (let i = 0; i < size; i++) data[i] = (rng() * 2 - 1) * scale * 1.7;
    }
    weights.set(name, { shape, data });
  }
  return weights;
}

/** A GGUF file for llama.cpp from a config, an SPM vocabulary and weights. */
export function llamaGguf(
  config: LlamaConfig,
  vocab: SpmVocab,
  weights: LlamaWeights,
  { name, tensorType = "F32", extraMetadata = {} }: { name: string; tensorType?: "F32" | "F16"; extraMetadata?: Record<string, GgufValue> },
): GgufFile {
  if (vocab.tokens.length !== config.vocabSize) {
    throw new Error(`vocabulary has ${vocab.tokens.length} tokens, config.vocabSize is ${config.vocabSize}`);
  }
  const tensors: GgufTensor[] = [];
  for (const [tensorName, shape] of llamaTensorShapes(config)) {
    const w = weights.get(tensorName);
    if (!w) throw new Error(`missing weight ${tensorName}`);
    if (w.shape.join() !== shape.join()) throw new Error(`weight ${tensorName} has shape ${w.shape.join("×")}, expected ${shape.join("×")}`);
    // Norm vectors stay F32: llama.cpp requires it and they are tiny.
    tensors.push({ name: tensorName, shape, type: shape.length === 1 ? "F32" : tensorType, data: w.data });
  }
  const metadata: Record<string, GgufValue> = {
    "general.architecture": gguf.string("llama"),
    "general.name": gguf.string(name),
    "llama.context_length": gguf.u32(config.contextLength),
    "llama.embedding_length": gguf.u32(config.dim),
    "llama.block_count": gguf.u32(config.layers),
    "llama.feed_forward_length": gguf.u32(config.ffnDim),
    "llama.attention.head_count": gguf.u32(config.heads),
    "llama.attention.head_count_kv": gguf.u32(config.kvHeads ?? config.heads),
    "llama.attention.layer_norm_rms_epsilon": gguf.f32(config.rmsEps ?? 1e-5),
    "llama.rope.freq_base": gguf.f32(config.ropeTheta ?? 10000),
    "llama.rope.dimension_count": gguf.u32(config.dim / config.heads),
    "tokenizer.ggml.model": gguf.string("llama"),
    "tokenizer.ggml.tokens": gguf.strings(vocab.tokens),
    "tokenizer.ggml.scores": gguf.f32s(vocab.scores),
    "tokenizer.ggml.token_type": gguf.i32s(vocab.types),
    "tokenizer.ggml.unknown_token_id": gguf.u32(vocab.unk),
    "tokenizer.ggml.bos_token_id": gguf.u32(vocab.bos),
    "tokenizer.ggml.eos_token_id": gguf.u32(vocab.eos),
    "tokenizer.ggml.add_bos_token": gguf.bool(true),
    "tokenizer.ggml.add_eos_token": gguf.bool(false),
    "tokenizer.ggml.add_space_prefix": gguf.bool(false),
    ...extraMetadata,
  };
  return { metadata, tensors };
}
