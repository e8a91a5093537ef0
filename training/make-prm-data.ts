// Turns `ponder label` step labels into PRM training rows: the demo PRM text as llama.cpp token ids,
// the position of every step tag and its Monte-Carlo label.
// Usage: node --import tsx training/make-prm-data.ts --labels training/data/prm-labels.jsonl --out training/data/prm.jsonl
//   [--outcomes training/data/revisions.jsonl]: also every distinct solution of `ponder label --revisions`
//   trajectories (wrong attempts and correct targets) with only its last step labelled, 1 or 0 by the gold
//   answer (outcome labels; no rollouts needed).
import { parseArgs } from "node:util";
import type { RevisionRecord } from "../src/labeling/build-revisions.js";
import type { StepLabelRecord } from "../src/labeling/label-steps.js";
import { readFinalAnswer } from "../src/datasets/synthetic/read-final-answer.js";
import { demoVocab, STEP_TAG } from "../src/models/demo-vocab.js";
import { demoPrmFormat, renderTokenReward } from "../src/verifiers/token-reward-format.js";
import { loadDemoTokenizer } from "./lib/demo-tokenizer.js";
import { JsonlWriter, readJsonl } from "./lib/jsonl.js";

const { values } = parseArgs({ options: { labels: { type: "string" }, outcomes: { type: "string" }, out: { type: "string", default: "training/data/prm.jsonl" } } });
if (!values.labels) throw new Error("usage: make-prm-data.ts --labels <ponder label output> [--out <file>]");

const tokenizer = await loadDemoTokenizer();
const tag = tokenizer.single(STEP_TAG);
const out = await JsonlWriter.create(values.out!);
await out.write({ header: { kind: "prm", vocab_size: demoVocab().tokens.length, plus: tokenizer.single("+"), minus: tokenizer.single("-"), tag } });
/** Token ids of exactly the text the demo PRM preset scores (the prompt, then every step followed by the tag) and the tags' positions. */
function tagged(record: { problemId: string; question: string }, steps: readonly string[]): { ids: number[]; positions: number[] } {
  const { text } = renderTokenReward(demoPrmFormat, { id: record.problemId, question: record.question }, steps);
  const ids = [tokenizer.bos, ...tokenizer.tokenize(text)];
  return { ids, positions: ids.flatMap((id, i) => (id === tag ? [i] : [])) };
}

let rows = 0;
let tags = 0;
for await (const record of readJsonl<StepLabelRecord>(values.labels)) {
  if (record.steps.length === 0) continue;
  const { ids, positions } = tagged(record, record.steps);
  if (positions.length !== record.steps.length) throw new Error(`${record.problemId} sample ${record.sample}: ${positions.length} tags for ${record.steps.length} steps`);
  await out.write({ ids, tags: positions, labels: record.labels, level: record.level, correct: record.correct });
  rows++;
  tags += positions.length;
}
let outcomeRows = 0;
if (values.outcomes) {
  const seen = new Set<string>();
  for await (const record of readJsonl<RevisionRecord>(values.outcomes)) {
    for (const solution of [...record.attempts, record.target]) {
      const key = `${record.problemId}\u0000${solution}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const steps = solution.split("\n").filter((s) => s.trim().length > 0);
      if (steps.length === 0) continue;
      const { ids, positions } = tagged(record, steps);
      if (positions.length !== steps.length) continue;
      const correct = readFinalAnswer(steps) === String(Number(record.answer));
      await out.write({ ids, tags: [positions[positions.length - 1]], labels: [correct ? 1 : 0], level: record.level, correct, outcomeOnly: true });
      outcomeRows++;
    }
  }
}
await out.close();
await tokenizer.dispose();
console.error(`wrote ${rows} solutions with ${tags} labelled steps${values.outcomes ? ` and ${outcomeRows} outcome-labelled solutions` : ""} to ${values.out}`);
