// Turns `ponder label --revisions` trajectories into training rows for the revision model:
// question, earlier attempts, then the correct solution (the loss is taken on the solution only).
// Usage: node --import tsx training/make-revision-data.ts --trajectories training/data/revisions.jsonl --out training/data/revision.jsonl
import { parseArgs } from "node:util";
import type { RevisionRecord } from "../src/labeling/build-revisions.js";
import { demoVocab } from "../src/models/demo-vocab.js";
import { demoTemplate } from "../src/templates/templates.js";
import { loadDemoTokenizer } from "./lib/demo-tokenizer.js";
import { JsonlWriter, readJsonl } from "./lib/jsonl.js";
import { sequenceExample } from "./lib/sequence-example.js";

const { values } = parseArgs({ options: { trajectories: { type: "string" }, out: { type: "string", default: "training/data/revision.jsonl" } } });
if (!values.trajectories) throw new Error("usage: make-revision-data.ts --trajectories <ponder label --revisions output> [--out <file>]");

const tokenizer = await loadDemoTokenizer();
const out = await JsonlWriter.create(values.out!);
await out.write({ header: { kind: "revision", vocab_size: demoVocab().tokens.length } });
let rows = 0;
let longest = 0;
const byAttempts = [0, 0, 0, 0, 0];
for await (const record of readJsonl<RevisionRecord>(values.trajectories)) {
  const problem = { id: record.problemId, question: record.question };
  const example = sequenceExample(tokenizer, demoTemplate.render(problem, record.attempts), record.target, record.level);
  await out.write({ ...example, attempts: record.attempts.length });
  rows++;
  longest = Math.max(longest, example.ids.length);
  byAttempts[Math.min(4, record.attempts.length)]!++;
}
await out.close();
await tokenizer.dispose();
console.error(`wrote ${rows} trajectories to ${values.out} (by attempts 0-4: ${byAttempts.join(", ")}; longest ${longest} tokens)`);
