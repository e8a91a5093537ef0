// Writes the policy training set: synthetic problems with their reference solutions, as llama.cpp token ids.
// Usage: node --import tsx training/make-policy-data.ts --count 300000 --seed 1000 --out training/data/policy.jsonl
import { parseArgs } from "node:util";
import { generateSyntheticProblem } from "../src/datasets/synthetic/generate-problem.js";
import { DEFAULT_LEVELS } from "../src/datasets/synthetic/load-synthetic.js";
import { demoVocab } from "../src/models/demo-vocab.js";
import { demoTemplate } from "../src/templates/templates.js";
import { loadDemoTokenizer } from "./lib/demo-tokenizer.js";
import { JsonlWriter } from "./lib/jsonl.js";
import { sequenceExample } from "./lib/sequence-example.js";

const { values } = parseArgs({
  options: { count: { type: "string", default: "300000" }, seed: { type: "string", default: "1000" }, out: { type: "string", default: "training/data/policy.jsonl" } },
});
const count = Number(values.count);
const seed = Number(values.seed);
if (!(seed >= 1000)) throw new Error("--seed must be ≥ 1000: seeds below 1000 are the held-out evaluation problems");

const tokenizer = await loadDemoTokenizer();
const out = await JsonlWriter.create(values.out!);
await out.write({ header: { kind: "policy", vocab_size: demoVocab().tokens.length, count, seed } });
let tokens = 0;
for (let i = 0; i < count; i++) {
  const level = DEFAULT_LEVELS[i % DEFAULT_LEVELS.length]!;
  const problem = generateSyntheticProblem({ level, seed, index: Math.floor(i / DEFAULT_LEVELS.length) });
  const example = sequenceExample(tokenizer, demoTemplate.render(problem), problem.meta.solution.join("\n"), level);
  tokens += example.ids.length;
  await out.write(example);
  if ((i + 1) % 20000 === 0) console.error(`${i + 1}/${count} problems, ${tokens} tokens`);
}
await out.close();
await tokenizer.dispose();
console.error(`wrote ${count} problems (${tokens} tokens) to ${values.out}`);
