// Turns `ponder label` step labels into PRM training rows: the demo PRM text as llama.cpp token ids,
// the position of every step tag and its label.
// Usage: node --import tsx training/make-prm-data.ts --labels training/data/prm-labels.jsonl --out training/data/prm.jsonl
//   [--use mc|exact|consensus|mean]: which labels (default mc, the "labels" field): exact, the `ponder label --exact`
//   ones; consensus, the exact ones of only those solutions whose Monte-Carlo labels put the first error at the same
//   step (a step's hard MC label is 0 when no rollout from it reaches the answer; Qwen's consensus filtering);
//   mean, the average of the two. [--dedupe]: each distinct solution of a problem once.
//   [--dense]: also "flip", the index of the token holding the first wrong character of the solution (from the exact
//   labels; the row's length when it is right), so train.py --dense-weight can label every token after the prompt
//   (right up to that token, wrong from it on). Exact labels are recomputed from the synthetic problem id when a record
//   lacks them.
//   [--outcomes training/data/revisions.jsonl]: also every distinct solution of `ponder label --revisions`
//   trajectories (wrong attempts and correct targets) with only its last step labelled, 1 or 0 by the gold
//   answer (outcome labels; no rollouts needed).
import { parseArgs } from "node:util";
import type { RevisionRecord } from "../src/labeling/build-revisions.js";
import type { StepLabelRecord } from "../src/labeling/label-steps.js";
import { generateSyntheticProblem } from "../src/datasets/synthetic/generate-problem.js";
import { readFinalAnswer } from "../src/datasets/synthetic/read-final-answer.js";
import { exactStepLabels, type ExactStepLabels } from "../src/labeling/exact-step-labels.js";
import { demoVocab, STEP_TAG } from "../src/models/demo-vocab.js";
import { demoPrmFormat, renderTokenReward } from "../src/verifiers/token-reward-format.js";
import { loadDemoTokenizer } from "./lib/demo-tokenizer.js";
import { JsonlWriter, readJsonl } from "./lib/jsonl.js";

const { values } = parseArgs({
  options: {
    labels: { type: "string" },
    outcomes: { type: "string" },
    use: { type: "string", default: "mc" },
    dedupe: { type: "boolean", default: false },
    dense: { type: "boolean", default: false },
    out: { type: "string", default: "training/data/prm.jsonl" },
  },
});
if (!values.labels) throw new Error("usage: make-prm-data.ts --labels <ponder label output> [--use mc|exact|consensus|mean] [--dedupe] [--out <file>]");
const USES = ["mc", "exact", "consensus", "mean"];
if (!USES.includes(values.use!)) throw new Error(`--use ${values.use}: expected one of ${USES.join(", ")}`);

/** A record's exact labels: its own, or recomputed from the synthetic problem its id names. */
function exactOf(record: StepLabelRecord, line: number): ExactStepLabels {
  if (record.exact?.errorAt) return record.exact;
  const id = /^synthetic-(\d+)-L(\d+)-(\d+)$/.exec(record.problemId);
  if (!id) throw new Error(`${values.labels}:${line}: no exact labels and ${record.problemId} is not a synthetic problem id`);
  const problem = generateSyntheticProblem({ seed: Number(id[1]), level: Number(id[2]), index: Number(id[3]) });
  if (problem.question !== record.question) throw new Error(`${values.labels}:${line}: ${record.problemId} is not the problem the record holds`);
  return exactStepLabels(problem.meta.steps, record.steps);
}

/** The labels --use picks for a record, or null when consensus filtering drops it. */
function labelsOf(record: StepLabelRecord, line: number): number[] | null {
  if (values.use === "mc") return record.labels;
  const exact = exactOf(record, line);
  if (values.use === "exact") return exact.labels;
  if (values.use === "mean") return exact.labels.map((e, i) => (e + record.labels[i]!) / 2);
  return record.labels.findIndex((l) => l === 0) === exact.firstError ? exact.labels : null;
}

const tokenizer = await loadDemoTokenizer();
const tag = tokenizer.single(STEP_TAG);
const out = await JsonlWriter.create(values.out!);
await out.write({ header: { kind: "prm", vocab_size: demoVocab().tokens.length, plus: tokenizer.single("+"), minus: tokenizer.single("-"), tag } });
/** Token ids of exactly the text the demo PRM preset scores (the prompt, then every step followed by the tag) and the tags' positions. */
function tagged(record: { problemId: string; question: string }, steps: readonly string[]): { ids: number[]; positions: number[]; start: number } {
  const problem = { id: record.problemId, question: record.question };
  const { text } = renderTokenReward(demoPrmFormat, problem, steps);
  const ids = [tokenizer.bos, ...tokenizer.tokenize(text)];
  // Where the first step's tokens begin (train.py --lm-weight takes a next-token loss on right steps' tokens).
  const prompt = [tokenizer.bos, ...tokenizer.tokenize(renderTokenReward(demoPrmFormat, problem, []).text)];
  if (prompt.some((id, i) => ids[i] !== id)) throw new Error(`${record.problemId}: the prompt's tokens are not a prefix of the PRM text`);
  return { ids, positions: ids.flatMap((id, i) => (id === tag ? [i] : [])), start: prompt.length };
}

/** Index in `ids` of the token holding the solution's first wrong character (ids.length when every step is right). */
function flipOf(record: StepLabelRecord, exact: ExactStepLabels, ids: readonly number[]): number {
  const f = exact.firstError;
  if (f < 0) return ids.length;
  const problem = { id: record.problemId, question: record.question };
  const before = renderTokenReward(demoPrmFormat, problem, record.steps.slice(0, f)).text + record.steps[f]!.slice(0, exact.errorAt[f]);
  const prefix = [tokenizer.bos, ...tokenizer.tokenize(before)];
  let common = 0;
  while (common < prefix.length && prefix[common] === ids[common]) common++;
  return common;
}

let rows = 0;
let tags = 0;
let dropped = 0;
let repeated = 0;
let line = 0;
const solutions = new Set<string>();
for await (const record of readJsonl<StepLabelRecord>(values.labels)) {
  line++;
  if (record.steps.length === 0) continue;
  const labels = labelsOf(record, line);
  if (labels === null) {
    dropped++;
    continue;
  }
  const key = `${record.problemId}\u0000${record.steps.join("\n")}`;
  if (values.dedupe && solutions.has(key)) {
    repeated++;
    continue;
  }
  solutions.add(key);
  const { ids, positions, start } = tagged(record, record.steps);
  if (positions.length !== record.steps.length) throw new Error(`${record.problemId} sample ${record.sample}: ${positions.length} tags for ${record.steps.length} steps`);
  const dense = values.dense ? { flip: flipOf(record, exactOf(record, line), ids) } : {};
  await out.write({ ids, tags: positions, labels, start, ...dense, level: record.level, correct: record.correct, problemId: record.problemId });
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
console.error(
  `wrote ${rows} solutions with ${tags} labelled steps${values.outcomes ? ` and ${outcomeRows} outcome-labelled solutions` : ""} to ${values.out}` +
    (values.use === "consensus" ? `; ${dropped} dropped where the Monte-Carlo and exact labels disagree` : "") +
    (values.dedupe ? `; ${repeated} repeated solutions left out` : ""),
);
