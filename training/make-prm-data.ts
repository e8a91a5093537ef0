// Turns `ponder label` step labels into PRM training rows: the demo PRM text as llama.cpp token ids,
// the position of every step tag and its Monte-Carlo label.
// Usage: node --import tsx training/make-prm-data.ts --labels training/data/prm-labels.jsonl --out training/data/prm.jsonl
import { parseArgs } from "node:util";
import type { StepLabelRecord } from "../src/labeling/label-steps.js";
import { demoVocab, STEP_TAG } from "../src/models/demo-vocab.js";
import { loadDemoTokenizer } from "./lib/demo-tokenizer.js";
import { JsonlWriter, readJsonl } from "./lib/jsonl.js";

const { values } = parseArgs({ options: { labels: { type: "string" }, out: { type: "string", default: "training/data/prm.jsonl" } } });
if (!values.labels) throw new Error("usage: make-prm-data.ts --labels <ponder label output> [--out <file>]");

const tokenizer = await loadDemoTokenizer();
const tag = tokenizer.single(STEP_TAG);
const out = await JsonlWriter.create(values.out!);
await out.write({ header: { kind: "prm", vocab_size: demoVocab().tokens.length, plus: tokenizer.single("+"), minus: tokenizer.single("-"), tag } });
let rows = 0;
let tags = 0;
for await (const record of readJsonl<StepLabelRecord>(values.labels)) {
  if (record.steps.length === 0) continue;
  // Exactly the text the demo PRM preset scores: the prompt, then every step followed by the tag.
  const text = `Q: ${record.question}\nA:\n` + record.steps.map((s) => `${s}${STEP_TAG}\n`).join("");
  const ids = [tokenizer.bos, ...tokenizer.tokenize(text)];
  const positions = ids.flatMap((id, i) => (id === tag ? [i] : []));
  if (positions.length !== record.steps.length) throw new Error(`${record.problemId} sample ${record.sample}: ${positions.length} tags for ${record.steps.length} steps`);
  await out.write({ ids, tags: positions, labels: record.labels, level: record.level, correct: record.correct });
  rows++;
  tags += positions.length;
}
await out.close();
await tokenizer.dispose();
console.error(`wrote ${rows} solutions with ${tags} labelled steps to ${values.out}`);
