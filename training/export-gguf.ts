// Turns a model trained by training/train.py into a GGUF that llama.cpp runs, with ponder's one GGUF writer.
// Usage: node --import tsx training/export-gguf.ts --run training/out/policy-small --name policy-small [--models models]
// Writes <models>/<name>.gguf and <models>/<name>.reference.json (the training script's reference logits).
import { copyFile, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { gguf, writeGguf } from "../src/gguf/gguf-writer.js";
import { llamaGguf, type LlamaConfig } from "../src/gguf/llama-model.js";
import { demoVocab } from "../src/models/demo-vocab.js";
import { readSafetensors } from "./lib/read-safetensors.js";

const { values } = parseArgs({ options: { run: { type: "string" }, name: { type: "string" }, models: { type: "string", default: "models" } } });
if (!values.run || !values.name) throw new Error("usage: export-gguf.ts --run <training output dir> --name <model name> [--models <dir>]");

const { tensors, metadata } = await readSafetensors(join(values.run, "model.safetensors"));
const trained = JSON.parse(metadata.config ?? "null") as {
  vocab_size: number;
  dim: number;
  layers: number;
  heads: number;
  ffn_dim: number;
  context_length: number;
  rope_theta: number;
  rms_eps: number;
} | null;
if (!trained) throw new Error(`${values.run}/model.safetensors has no "config" metadata`);
const config: LlamaConfig = {
  vocabSize: trained.vocab_size,
  dim: trained.dim,
  layers: trained.layers,
  heads: trained.heads,
  ffnDim: trained.ffn_dim,
  contextLength: trained.context_length,
  ropeTheta: trained.rope_theta,
  rmsEps: trained.rms_eps,
  tiedEmbeddings: true,
};
const summary = JSON.parse(await readFile(join(values.run, "summary.json"), "utf8")) as { parameters: number; tokens: number; seconds: number; steps: number };
const file = llamaGguf(config, demoVocab(), tensors, {
  name: values.name,
  extraMetadata: {
    "general.description": gguf.string(`ponder demo model ${values.name}: ${summary.parameters} parameters, ${summary.steps} steps, ${summary.tokens} training tokens`),
  },
});
const out = join(values.models!, `${values.name}.gguf`);
await writeGguf(out, file);
await copyFile(join(values.run, "reference-logits.json"), join(values.models!, `${values.name}.reference.json`));
console.error(`wrote ${out} (${summary.parameters} parameters) and its reference logits`);
