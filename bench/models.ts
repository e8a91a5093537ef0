// Measured quality of the shipped demo models (the numbers in models/README.md), on held-out
// synthetic problems (seed 0 by default; the models were trained on seeds ≥ 1000):
//   1. policy-small and policy-large: greedy pass@1 per level.
//   2. prm: AUROC of its last-step score (and of its minimum step score) for predicting whether a
//      policy-small sample at temperature 0.8 is correct: over all samples, within each level, and
//      within each problem (per level too); and of its step scores for the exact step labels.
//      --verifier <spec> measures another verifier the same way (default: the shipped PRM).
//   3. revision: on the medium levels, its first attempt (no attempts in context) vs its second
//      attempt given the first (demoTemplate.render(problem, [first])), greedy and sampled.
//   node --import tsx bench/models.ts [--per-level 50] [--levels 1-10] [--only policy,prm,revision]
//       [--prm-per-level 20] [--prm-samples 4] [--revision-levels 4-7] [--revision-per-level 50]
//       [--revision-samples 4] [--policies policy-small,policy-large] [--seed 0] [--models <dir>]
//       [--verifier <spec>] [--threads 1] [--sequences 16] [--max-tokens 256]
import { join } from "node:path";
import { parseArgs } from "node:util";
import { LlamaEngine } from "../src/backends/llama/llama-engine.js";
import { LlamaGenerator } from "../src/backends/llama/llama-generator.js";
import type { Generator } from "../src/core/generator.js";
import { mapLimit } from "../src/core/map-limit.js";
import { loadSynthetic, parseLevels } from "../src/datasets/synthetic/load-synthetic.js";
import type { SyntheticProblem } from "../src/datasets/synthetic/generate-problem.js";
import { answersGold } from "../src/datasets/synthetic/synthetic-answer-reader.js";
import { MODELS_DIRECTORY } from "../src/models/default-models.js";
import { demoTemplate } from "../src/templates/templates.js";
import { syntheticStepJudge } from "../src/labeling/exact-step-labels.js";
import { createVerifier } from "../src/verifiers/create-verifier.js";

const { values } = parseArgs({
  options: {
    "per-level": { type: "string", default: "50" },
    levels: { type: "string", default: "1-10" },
    only: { type: "string", default: "policy,prm,revision" },
    policies: { type: "string", default: "policy-small,policy-large" },
    "prm-per-level": { type: "string", default: "20" },
    "prm-samples": { type: "string", default: "4" },
    "revision-levels": { type: "string", default: "4-7" },
    "revision-per-level": { type: "string", default: "50" },
    "revision-samples": { type: "string", default: "4" },
    seed: { type: "string", default: "0" },
    models: { type: "string", default: MODELS_DIRECTORY },
    verifier: { type: "string" },
    threads: { type: "string", default: "1" },
    sequences: { type: "string", default: "16" },
    "max-tokens": { type: "string", default: "256" },
  },
});
const only = new Set(values.only!.split(",").map((s) => s.trim()));
const seed = Number(values.seed);
if (seed >= 1000) throw new Error("--seed must be < 1000: seeds ≥ 1000 are the training problems");
const threads = Number(values.threads);
const sequences = Number(values.sequences);
const maxTokens = Number(values["max-tokens"]);
const modelPath = (name: string) => join(values.models!, `${name}.gguf`);
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

const load = (name: string) => LlamaEngine.load({ model: modelPath(name), threads, sequences, contextSize: 1024 });

/** Problems `perLevel` per level, held out (seed < 1000). */
function problemsAt(levels: string, perLevel: number): SyntheticProblem[] {
  const list = parseLevels(levels);
  return loadSynthetic({ levels: list, count: perLevel * list.length, seed });
}

function isCorrect(problem: SyntheticProblem, continuation: { steps: string[]; finishReason: string }): boolean {
  return continuation.finishReason === "end" && answersGold(continuation.steps.join(demoTemplate.stepDelimiter), problem.answer);
}

/** Area under the ROC curve: P(score of a random positive > score of a random negative), ties counted half. */
export function auroc(scores: readonly number[], labels: readonly boolean[]): number {
  const { wins, pairs } = orderedPairs(scores, labels);
  return pairs === 0 ? NaN : wins / pairs;
}

/** Over every (positive, negative) pair: how many have the positive scored higher (ties count half), and how many pairs there are. */
function orderedPairs(scores: readonly number[], labels: readonly boolean[]): { wins: number; pairs: number } {
  const pos = scores.filter((_, i) => labels[i]);
  const neg = scores.filter((_, i) => !labels[i]);
  let wins = 0;
  for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return { wins, pairs: pos.length * neg.length };
}

function levelTable(title: string, problems: readonly SyntheticProblem[], correct: readonly boolean[]): Map<number, number> {
  const byLevel = new Map<number, { n: number; k: number }>();
  problems.forEach((p, i) => {
    const row = byLevel.get(p.level) ?? { n: 0, k: 0 };
    row.n++;
    if (correct[i]) row.k++;
    byLevel.set(p.level, row);
  });
  const levels = [...byLevel.keys()].sort((a, b) => a - b);
  const rates = new Map(levels.map((l) => [l, byLevel.get(l)!.k / byLevel.get(l)!.n]));
  console.log(`${title}`);
  console.log(`  level    ${levels.map((l) => String(l).padStart(6)).join("")}   all`);
  console.log(`  pass@1   ${levels.map((l) => pct(rates.get(l)!).padStart(6)).join("")}  ${pct(correct.filter(Boolean).length / correct.length)}`);
  console.log(`  (n per level: ${levels.map((l) => byLevel.get(l)!.n).join(", ")})`);
  return rates;
}

async function greedy(generator: Generator, problems: readonly SyntheticProblem[], attempts?: (p: SyntheticProblem, i: number) => string[]) {
  return mapLimit(problems, sequences, async (problem, i) => {
    const { continuations } = await generator.generate({
      problem,
      until: "solution",
      ...(attempts ? { attempts: attempts(problem, i) } : {}),
      sampling: { temperature: 0, maxTokens, seed: 0 },
    });
    return continuations[0]!;
  });
}

// 1. Policies: greedy pass@1 per level.
if (only.has("policy")) {
  const problems = problemsAt(values.levels!, Number(values["per-level"]));
  const rates: Record<string, Map<number, number>> = {};
  for (const name of values.policies!.split(",").map((s) => s.trim())) {
    const engine = await load(name);
    const started = performance.now();
    const results = await greedy(new LlamaGenerator(engine, demoTemplate), problems);
    const seconds = (performance.now() - started) / 1000;
    rates[name] = levelTable(
      `${name} (${engine.parameters} parameters): greedy pass@1, held-out seed ${seed}, ${values["per-level"]} problems per level (${seconds.toFixed(0)} s)`,
      problems,
      results.map((c, i) => isCorrect(problems[i]!, c)),
    );
    await engine.dispose();
  }
  const middle = [4, 5, 6, 7].filter((l) => rates["policy-small"]?.has(l));
  if (middle.length > 0 && rates["policy-small"] && rates["policy-large"]) {
    const mean = (m: Map<number, number>) => middle.reduce((s, l) => s + m.get(l)!, 0) / middle.length;
    const gap = mean(rates["policy-large"]!) - mean(rates["policy-small"]!);
    console.log(`policy-large − policy-small on levels ${middle.join(",")}: ${(100 * gap).toFixed(1)} points (mean of per-level pass@1)`);
    for (const l of middle) console.log(`  level ${l}: ${(100 * (rates["policy-large"]!.get(l)! - rates["policy-small"]!.get(l)!)).toFixed(1)} points`);
  }
  console.log();
}

// 2. PRM: does its score predict whether a policy-small sample is right, across problems and (what search needs) within one problem?
if (only.has("prm")) {
  const problems = problemsAt(values.levels!, Number(values["prm-per-level"]));
  const samples = Number(values["prm-samples"]);
  const policyEngine = await load("policy-small");
  const policy = new LlamaGenerator(policyEngine, demoTemplate);
  const drawn = await mapLimit(problems, Math.max(1, Math.floor(sequences / samples)), async (problem) => {
    const { continuations } = await policy.generate({ problem, until: "solution", n: samples, sampling: { temperature: 0.8, maxTokens, seed: 1 } });
    return continuations.map((c) => ({ problem, steps: c.steps, correct: isCorrect(problem, c) }));
  });
  await policyEngine.dispose();
  const items = drawn.flat().filter((s) => s.steps.length > 0);
  const spec = values.verifier ?? `prm:${modelPath("prm")}`;
  const { verifier, dispose } = await createVerifier(spec, { threads, sequences, contextSize: 1024 });
  const scored = await mapLimit(items, sequences, async (item) => (await verifier.score([{ problem: item.problem, steps: item.steps }])).stepScores[0]!);
  await dispose();
  const labels = items.map((s) => s.correct);
  const last = scored.map((s) => s[s.length - 1]!);
  const min = scored.map((s) => Math.min(...s));
  console.log(
    `${spec}: ${items.length} policy-small samples (temperature 0.8, ${samples} per problem, ${values["prm-per-level"]} problems per level ${values.levels}, seed ${seed}), ` +
      `${labels.filter(Boolean).length} correct`,
  );
  console.log(`  AUROC of the last-step score: ${auroc(last, labels).toFixed(3)}`);
  console.log(`  AUROC of the minimum step score: ${auroc(min, labels).toFixed(3)}`);
  const levels = [...new Set(items.map((s) => s.problem.level))].sort((a, b) => a - b);
  const perLevel = levels.map((l) => {
    const idx = items.flatMap((s, i) => (s.problem.level === l ? [i] : []));
    const a = auroc(idx.map((i) => last[i]!), idx.map((i) => labels[i]!));
    return `L${l} ${Number.isNaN(a) ? "n/a" : a.toFixed(2)} (${idx.filter((i) => labels[i]).length}/${idx.length} right)`;
  });
  console.log(`  last-step AUROC within each level: ${perLevel.join(", ")}`);
  // Within one problem the question is fixed, so only checking the steps can rank its right samples above its wrong ones.
  const problemsScored = [...new Set(items.map((s) => s.problem))].map((problem) => items.flatMap((s, i) => (s.problem === problem ? [i] : [])));
  const within = (scores: readonly number[], keep: (level: number) => boolean) => {
    let wins = 0;
    let pairs = 0;
    for (const idx of problemsScored.filter((idx) => keep(items[idx[0]!]!.problem.level))) {
      const counted = orderedPairs(idx.map((i) => scores[i]!), idx.map((i) => labels[i]!));
      wins += counted.wins;
      pairs += counted.pairs;
    }
    return { auroc: pairs > 0 ? wins / pairs : NaN, pairs };
  };
  for (const [name, scores] of [["last-step", last], ["minimum step", min]] as const) {
    const all = within(scores, () => true);
    console.log(`  ${name} AUROC within each problem (its right vs its wrong samples, ${all.pairs} pairs): ${Number.isNaN(all.auroc) ? "n/a" : all.auroc.toFixed(3)}`);
    const byLevel = levels.map((l) => {
      const w = within(scores, (level) => level === l);
      return `L${l} ${Number.isNaN(w.auroc) ? "n/a" : w.auroc.toFixed(2)} (${w.pairs})`;
    });
    console.log(`    per level (pairs): ${byLevel.join(", ")}`);
  }
  // Each step against its exact label (1 up to the first wrong step): does the score check steps, or only outcomes?
  const steps = items.flatMap((item, i) => {
    const exact = syntheticStepJudge(item.problem, item.steps).labels;
    return exact.map((label, k) => ({ label: label === 1, score: scored[i]![k]! }));
  });
  console.log(
    `  step scores vs exact step labels (right so far or not): AUROC ${auroc(steps.map((s) => s.score), steps.map((s) => s.label)).toFixed(3)} ` +
      `(${steps.filter((s) => s.label).length} right, ${steps.filter((s) => !s.label).length} wrong steps)`,
  );
  console.log();
}

// 3. Revision model: second attempt (seeing the first) vs first attempt.
if (only.has("revision")) {
  const problems = problemsAt(values["revision-levels"]!, Number(values["revision-per-level"]));
  const engine = await load("revision");
  const model = new LlamaGenerator(engine, demoTemplate);
  const first = await greedy(model, problems);
  const firstText = first.map((c) => c.steps.join(demoTemplate.stepDelimiter));
  const second = await greedy(model, problems, (_, i) => [firstText[i]!]);
  const a = first.map((c, i) => isCorrect(problems[i]!, c));
  const b = second.map((c, i) => isCorrect(problems[i]!, c));
  const count = (xs: boolean[]) => xs.filter(Boolean).length;
  console.log(`revision: greedy, levels ${values["revision-levels"]}, ${values["revision-per-level"]} problems per level, seed ${seed}`);
  levelTable("  first attempt", problems, a);
  levelTable("  second attempt (given the first)", problems, b);
  console.log(
    `  first ${pct(count(a) / a.length)} → second ${pct(count(b) / b.length)}; wrong→right ${a.filter((x, i) => !x && b[i]).length}, right→wrong ${a.filter((x, i) => x && !b[i]).length}`,
  );

  // Sampled: each of `samples` first attempts at temperature 0.8, then one second attempt given it.
  const samples = Number(values["revision-samples"]);
  if (samples > 0) {
    const pairs = await mapLimit(problems, Math.max(1, Math.floor(sequences / samples)), async (problem) => {
      const firsts = (await model.generate({ problem, until: "solution", n: samples, sampling: { temperature: 0.8, maxTokens, seed: 2 } })).continuations;
      return Promise.all(
        firsts.map(async (f, s) => {
          const text = f.steps.join(demoTemplate.stepDelimiter);
          const again = (await model.generate({ problem, until: "solution", attempts: [text], sampling: { temperature: 0.8, maxTokens, seed: 3 + s } })).continuations[0]!;
          return [isCorrect(problem, f), isCorrect(problem, again)] as const;
        }),
      );
    });
    const flat = pairs.flat();
    const fa = flat.map(([x]) => x);
    const fb = flat.map(([, y]) => y);
    console.log(
      `  sampled (temperature 0.8, ${samples} per problem, ${flat.length} pairs): first ${pct(count(fa) / fa.length)} → second ${pct(count(fb) / fb.length)}; ` +
        `wrong→right ${flat.filter(([x, y]) => !x && y).length}, right→wrong ${flat.filter(([x, y]) => x && !y).length}`,
    );
    const wrongFirst = flat.filter(([x]) => !x);
    if (wrongFirst.length > 0) console.log(`  second attempt right after a wrong first: ${pct(wrongFirst.filter(([, y]) => y).length / wrongFirst.length)} of ${wrongFirst.length}`);
  }
  await engine.dispose();
  console.log();
}
