// Revision training rows built from a model's own attempts (on-policy), for fine-tuning that model
// to revise what it itself writes. For each training problem (seeds ≥ 1000):
//   - the question alone → the reference solution (keeps the first attempt as good as it was);
//   - the question with one of the model's attempts (its greedy one, and --samples at --temperature)
//     → that attempt again if it is right, the reference solution if it is wrong;
//   - the question with two of its sampled attempts → the second if it is right, else the reference.
// Right and wrong attempts appear as often as the model produces them, so the model learns when to
// keep an attempt as well as how to fix one; the rows built from `ponder label --revisions`
// (make-revision-data.ts) show it wrong attempts far more often than it meets them.
// Usage: node --import tsx training/make-self-revision-data.ts --model models/revision.gguf
//   [--seed 5000] [--levels 1-10] [--per-level 500] [--samples 2] [--temperature 0.8]
//   [--threads 1] [--out training/data/self-revision.jsonl]
import { parseArgs } from "node:util";
import { LlamaEngine } from "../src/backends/llama/llama-engine.js";
import { LlamaGenerator } from "../src/backends/llama/llama-generator.js";
import { mapLimit } from "../src/core/map-limit.js";
import { loadSynthetic, parseLevels } from "../src/datasets/synthetic/load-synthetic.js";
import type { SyntheticProblem } from "../src/datasets/synthetic/generate-problem.js";
import { answersGold } from "../src/datasets/synthetic/synthetic-answer-reader.js";
import { demoVocab } from "../src/models/demo-vocab.js";
import { demoTemplate } from "../src/templates/templates.js";
import { loadDemoTokenizer } from "./lib/demo-tokenizer.js";
import { JsonlWriter } from "./lib/jsonl.js";
import { sequenceExample } from "./lib/sequence-example.js";

const { values } = parseArgs({
  options: {
    model: { type: "string" },
    seed: { type: "string", default: "5000" },
    levels: { type: "string", default: "1-10" },
    "per-level": { type: "string", default: "500" },
    samples: { type: "string", default: "2" },
    temperature: { type: "string", default: "0.8" },
    threads: { type: "string", default: "1" },
    out: { type: "string", default: "training/data/self-revision.jsonl" },
  },
});
if (!values.model) throw new Error("usage: make-self-revision-data.ts --model <gguf> [--seed 5000] [--levels 1-10] [--per-level 500] [--samples 2] [--temperature 0.8] [--out <file>]");
const seed = Number(values.seed);
if (!(Number.isInteger(seed) && seed >= 1000)) throw new Error(`--seed: training problems use seeds ≥ 1000 (seeds below are held out), got ${values.seed}`);
const samples = Number(values.samples);
if (!(Number.isInteger(samples) && samples >= 0)) throw new Error(`--samples: expected a whole number ≥ 0, got ${values.samples}`);
const temperature = Number(values.temperature);
const levels = parseLevels(values.levels!);
const problems = loadSynthetic({ levels, count: Number(values["per-level"]) * levels.length, seed });

const tokenizer = await loadDemoTokenizer();
const engine = await LlamaEngine.load({ model: values.model, threads: Number(values.threads), sequences: 16, contextSize: 1024 });
const model = new LlamaGenerator(engine, demoTemplate);
const out = await JsonlWriter.create(values.out!);
await out.write({ header: { kind: "revision", vocab_size: demoVocab().tokens.length, model: values.model, seed } });

const isRight = (problem: SyntheticProblem, text: string) => answersGold(text, problem.answer);
const counts = { rows: 0, keep: 0, fix: 0 };
const started = performance.now();
let done = 0;
await mapLimit(problems, Math.max(1, Math.floor(16 / (1 + samples))), async (problem) => {
  const generate = async (n: number, temp: number, sampleSeed: number) =>
    (await model.generate({ problem, until: "solution", n, sampling: { temperature: temp, maxTokens: 256, seed: sampleSeed } })).continuations
      .filter((c) => c.finishReason === "end")
      .map((c) => c.steps.join(demoTemplate.stepDelimiter));
  const [greedy, sampled] = await Promise.all([generate(1, 0, 0), samples > 0 ? generate(samples, temperature, seed + problem.meta.index * 16 + problem.level) : []]);
  const reference = problem.meta.solution.join(demoTemplate.stepDelimiter);
  const rows: { attempts: string[]; target: string }[] = [{ attempts: [], target: reference }];
  for (const attempt of [...greedy, ...sampled]) rows.push({ attempts: [attempt], target: isRight(problem, attempt) ? attempt : reference });
  if (sampled.length >= 2) rows.push({ attempts: sampled.slice(0, 2), target: isRight(problem, sampled[1]!) ? sampled[1]! : reference });
  for (const { attempts, target } of rows) {
    const keeps = attempts.length > 0 && target === attempts[attempts.length - 1];
    await out.write({ ...sequenceExample(tokenizer, demoTemplate.render(problem, attempts), target, problem.level), attempts: attempts.length, keeps });
    counts.rows++;
    if (attempts.length > 0) counts[keeps ? "keep" : "fix"]++;
  }
  if (++done % 200 === 0) console.error(`${done}/${problems.length} problems, ${counts.rows} rows, ${((performance.now() - started) / 1000).toFixed(0)} s`);
});
await out.close();
await engine.dispose();
await tokenizer.dispose();
console.error(`wrote ${counts.rows} rows to ${values.out} (${counts.keep} keep a right attempt, ${counts.fix} replace a wrong one) in ${((performance.now() - started) / 1000).toFixed(0)} s`);
