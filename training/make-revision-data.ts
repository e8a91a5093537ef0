// Turns `ponder label --revisions` trajectories into training rows for the revision model:
// question, earlier attempts, then the correct solution (the loss is taken on the solution only).
// Usage: node --import tsx training/make-revision-data.ts --trajectories training/data/revisions.jsonl --out training/data/revision.jsonl
//   [--wrong-from training/data/prm-labels.jsonl]: also, for every problem of a `ponder label` step-label
//   file with wrong samples, trajectories whose attempts are 1 to 4 of those wrong samples and whose target
//   is the problem's reference solution (regenerated from its id), so problems the policy never solved
//   (the hard levels) are represented too.
//   [--confirm <fraction>] [--seed <n>]: also, for that fraction of trajectories (chosen by a generator seeded with --seed, default 0), a copy whose last attempt
//   is the correct target itself, written again as the target (earlier attempts kept, at most 4 in all). Without
//   these every attempt the model ever sees is wrong, so it learns to change whatever it is shown, and turns a
//   right first attempt into a wrong second one; with them it has to tell a right attempt (keep it) from a wrong
//   one (fix it).
import { parseArgs } from "node:util";
import type { RevisionRecord } from "../src/labeling/build-revisions.js";
import type { StepLabelRecord } from "../src/labeling/label-steps.js";
import { createRng } from "../src/core/rng.js";
import { generateSyntheticProblem } from "../src/datasets/synthetic/generate-problem.js";
import { demoVocab } from "../src/models/demo-vocab.js";
import { demoTemplate } from "../src/templates/templates.js";
import { loadDemoTokenizer } from "./lib/demo-tokenizer.js";
import { JsonlWriter, readJsonl } from "./lib/jsonl.js";
import { sequenceExample } from "./lib/sequence-example.js";

const { values } = parseArgs({
  options: {
    trajectories: { type: "string" },
    "wrong-from": { type: "string" },
    confirm: { type: "string", default: "0" },
    seed: { type: "string", default: "0" },
    out: { type: "string", default: "training/data/revision.jsonl" },
  },
});
const confirm = Number(values.confirm);
if (!(confirm >= 0 && confirm <= 1)) throw new Error(`--confirm: expected a fraction in [0, 1], got ${values.confirm}`);
const rng = createRng(Number(values.seed));
if (!values.trajectories) throw new Error("usage: make-revision-data.ts --trajectories <ponder label --revisions output> [--confirm <fraction>] [--seed <n>] [--wrong-from <ponder label output>] [--out <file>]");

const tokenizer = await loadDemoTokenizer();
const out = await JsonlWriter.create(values.out!);
await out.write({ header: { kind: "revision", vocab_size: demoVocab().tokens.length } });
let rows = 0;
let confirmations = 0;
let longest = 0;
const byAttempts = [0, 0, 0, 0, 0];
/** Writes one training row: the question with these attempts, then `target`; `extra` marks where it came from. */
async function emit(problem: { id: string; question: string }, attempts: readonly string[], target: string, level: number | undefined, extra: Record<string, boolean> = {}) {
  const example = sequenceExample(tokenizer, demoTemplate.render(problem, attempts), target, level);
  await out.write({ ...example, attempts: attempts.length, ...extra });
  rows++;
  longest = Math.max(longest, example.ids.length);
  byAttempts[Math.min(4, attempts.length)]!++;
}
for await (const record of readJsonl<RevisionRecord>(values.trajectories)) {
  const problem = { id: record.problemId, question: record.question };
  await emit(problem, record.attempts, record.target, record.level);
  if (rng() < confirm) {
    await emit(problem, [...record.attempts.slice(-3), record.target], record.target, record.level, { confirms: true });
    confirmations++;
  }
}
if (values["wrong-from"]) {
  const wrong = new Map<string, { record: StepLabelRecord; texts: string[] }>();
  for await (const record of readJsonl<StepLabelRecord>(values["wrong-from"])) {
    if (record.correct || record.steps.length === 0) continue;
    const entry = wrong.get(record.problemId) ?? { record, texts: [] };
    const text = record.steps.join("\n");
    if (!entry.texts.includes(text)) entry.texts.push(text);
    wrong.set(record.problemId, entry);
  }
  for (const [id, { record, texts }] of wrong) {
    const m = /^synthetic-(\d+)-L(\d+)-(\d+)$/.exec(id);
    if (!m) continue;
    const gold = generateSyntheticProblem({ seed: Number(m[1]), level: Number(m[2]), index: Number(m[3]) });
    if (gold.question !== record.question) throw new Error(`${id}: regenerated question differs from the labelled one`);
    // One trajectory with the last wrong sample alone, one with all of them (at most 4), oldest first.
    const sets = [texts.slice(-1), texts.slice(0, 4)].filter((set, i, all) => i === 0 || set.length !== all[0]!.length);
    for (const attempts of sets) await emit({ id, question: gold.question }, attempts, gold.meta.solution.join("\n"), gold.level, { fromWrong: true });
  }
}
await out.close();
await tokenizer.dispose();
console.error(`wrote ${rows} trajectories (${confirmations} ending in a right attempt) to ${values.out} (by attempts 0-4: ${byAttempts.join(", ")}; longest ${longest} tokens)`);
