// Contrastive revision rows from reference solutions, no model needed: for each training problem
// (seeds ≥ 1000), the question with a corrupted copy of its reference solution → the reference, and
// the question with the reference itself → the reference again. A corrupted copy has one result
// off by an error of the kind the demo policies make (mostly a carry, ±10), and every later line
// carries the wrong value on with right arithmetic, as a policy's own wrong solutions do. Shown both
// for the same question, the model can only tell which to keep by checking the arithmetic.
// Usage: node --import tsx training/make-corrupted-revision-data.ts [--seed 7000] [--levels 1-10]
//   [--per-level 1000] [--out training/data/corrupted-revision.jsonl]
import { parseArgs } from "node:util";
import { createRng } from "../src/core/rng.js";
import { loadSynthetic, parseLevels } from "../src/datasets/synthetic/load-synthetic.js";
import { solutionLines, type SyntheticStep } from "../src/datasets/synthetic/generate-problem.js";
import { demoVocab } from "../src/models/demo-vocab.js";
import { demoTemplate } from "../src/templates/templates.js";
import { loadDemoTokenizer } from "./lib/demo-tokenizer.js";
import { JsonlWriter } from "./lib/jsonl.js";
import { sequenceExample } from "./lib/sequence-example.js";

const { values } = parseArgs({
  options: {
    seed: { type: "string", default: "7000" },
    levels: { type: "string", default: "1-10" },
    "per-level": { type: "string", default: "1000" },
    out: { type: "string", default: "training/data/corrupted-revision.jsonl" },
  },
});
const seed = Number(values.seed);
if (!(Number.isInteger(seed) && seed >= 1000)) throw new Error(`--seed: training problems use seeds ≥ 1000 (seeds below are held out), got ${values.seed}`);
const levels = parseLevels(values.levels!);
const problems = loadSynthetic({ levels, count: Number(values["per-level"]) * levels.length, seed });
const rng = createRng(seed);

const apply = (op: SyntheticStep["operation"], a: number, b: number) => (op === "add" ? a + b : op === "sub" ? a - b : op === "mul" ? a * b : Math.floor(a / b));

/** An error like the policies' own: ±10 (a carry) half the time, else ±1, ±100 or ±2…5. */
function drawError(): number {
  const u = rng();
  const size = u < 0.5 ? 10 : u < 0.7 ? 1 : u < 0.85 ? 100 : 2 + Math.floor(rng() * 4);
  return rng() < 0.5 ? -size : size;
}

/** The reference solution with line `at`'s result off by an error and the wrong value carried on; null if no error keeps every value ≥ 0. */
function corrupt(steps: readonly SyntheticStep[], at: number): string[] | null {
  for (let attempt = 0; attempt < 10; attempt++) {
    let value = steps[0]!.before;
    const lines = steps.map((step, i): SyntheticStep => {
      const before = value;
      value = apply(step.operation, before, step.operand) + (i === at ? drawError() : 0);
      return { ...step, before, after: value };
    });
    if (lines.every((l) => l.after >= 0) && value !== steps.at(-1)!.after) return solutionLines(lines);
  }
  return null;
}

const tokenizer = await loadDemoTokenizer();
const out = await JsonlWriter.create(values.out!);
await out.write({ header: { kind: "revision", vocab_size: demoVocab().tokens.length, seed, corrupted: true } });
let rows = 0;
let skipped = 0;
for (const problem of problems) {
  const { steps, solution } = problem.meta;
  const wrong = corrupt(steps, Math.floor(rng() * steps.length));
  if (!wrong) {
    skipped++;
    continue;
  }
  const target = solution.join(demoTemplate.stepDelimiter);
  for (const [attempt, keeps] of [[wrong.join(demoTemplate.stepDelimiter), false], [target, true]] as const) {
    await out.write({ ...sequenceExample(tokenizer, demoTemplate.render(problem, [attempt]), target, problem.level), attempts: 1, keeps, corrupted: !keeps });
    rows++;
  }
}
await out.close();
await tokenizer.dispose();
console.error(`wrote ${rows} rows (${rows / 2} problems, corrupted and clean) to ${values.out}; ${skipped} problems skipped (no error kept the values ≥ 0)`);
