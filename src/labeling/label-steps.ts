import type { AnswerReader } from "../core/answer-reader.js";
import type { Continuation, Generator } from "../core/generator.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import type { Problem } from "../core/problem.js";
import { deriveSeed } from "../core/rng.js";
import { addUsage, type Usage } from "../core/usage.js";
import type { ExactStepLabels } from "./exact-step-labels.js";
import { orderedPool } from "./ordered-pool.js";

export interface StepLabelOptions {
  /** Solutions sampled per problem. */
  samples?: number;
  /** Rollouts from each step prefix (Math-Shepherd's N; the published setting is 16); 0 with a `judge` labels by the judge alone. */
  rollouts?: number;
  /** Labels each sampled solution's steps exactly (e.g. `syntheticStepJudge`); its verdict is kept beside the Monte-Carlo labels. */
  judge?: (problem: Problem, steps: readonly string[]) => ExactStepLabels;
  temperature?: number;
  /** Token limit of each sampled solution and rollout. */
  maxTokens?: number;
  seed?: number;
  /** Problems labeled at once; enough to keep the engine's sequences busy. */
  concurrency?: number;
}

/** One sampled solution with a Monte-Carlo label per step. */
export interface StepLabelRecord {
  problemId: string;
  level?: number;
  question: string;
  /** Gold answer. */
  answer: string;
  /** Index of this sample among the problem's samples. */
  sample: number;
  steps: string[];
  /** Per step: the fraction of rollouts from the prefix ending at that step that reach the gold answer; the last step's label is the sample's own correctness. With no rollouts, the judge's exact labels. */
  labels: number[];
  /** With a judge: its exact labels of the steps. */
  exact?: ExactStepLabels;
  /** Answer the sample states, or null. */
  finalAnswer: string | null;
  correct: boolean;
  finishReason: Continuation["finishReason"];
}

export type StepLabelEvent =
  | { type: "record"; record: StepLabelRecord }
  | { type: "problem"; problemId: string; done: number; total: number; records: number; usage: Usage };

/**
 * Math-Shepherd-style soft step labels: sample solutions from the policy, then for every step prefix
 * roll out `rollouts` completions and record the fraction that reach the gold answer.
 * Yields each problem's records in input order, then a progress event carrying the compute it spent.
 * @example for await (const e of labelSteps(problems, policy, reader, { samples: 4, rollouts: 8, seed: 1 })) if (e.type === "record") write(e.record);
 */
export async function* labelSteps(
  problems: readonly Problem[],
  generator: Generator,
  reader: AnswerReader,
  { samples = 4, rollouts = 8, temperature = 0.8, maxTokens = 256, seed = 0, concurrency = 4, judge }: StepLabelOptions = {},
  signal?: AbortSignal,
): AsyncGenerator<StepLabelEvent> {
  const positive = (name: string, value: number) => {
    if (!Number.isInteger(value) || value < 1) throw new InvalidOptionError({ field: name, value, accepted: "an integer ≥ 1" });
  };
  positive("samples", samples);
  if (!(judge && rollouts === 0)) positive("rollouts", rollouts);
  positive("concurrency", concurrency);
  for (const p of problems) {
    if (p.answer === undefined) throw new InvalidOptionError({ field: `answer of problem ${p.id}`, value: undefined, accepted: "a gold answer (labels need one)" });
  }
  const sampling = { temperature, maxTokens, seed };
  const reaches = (gold: string, steps: readonly string[]) => {
    const answer = reader.extract(steps.join(generator.stepDelimiter));
    return answer !== null && reader.canonical(answer) === reader.canonical(gold);
  };

  const labelProblem = async (problem: Problem) => {
    const gold = problem.answer!;
    const drawn = await generator.generate({ problem, until: "solution", n: samples, sampling: { ...sampling, seed: deriveSeed(seed, problem.id, "samples") } }, signal);
    let usage = drawn.usage;
    const records = await Promise.all(
      drawn.continuations.map(async (sample, s): Promise<StepLabelRecord> => {
        const steps = sample.steps;
        const correct = sample.finishReason === "end" && reaches(gold, steps);
        const exact = judge?.(problem, steps);
        const labels = exact && rollouts === 0 ? exact.labels : await Promise.all(
          steps.map(async (_, i) => {
            if (i === steps.length - 1) return correct ? 1 : 0;
            const prefix = steps.slice(0, i + 1);
            const result = await generator.generate(
              { problem, prefix, until: "solution", n: rollouts, sampling: { ...sampling, seed: deriveSeed(seed, problem.id, s, i) } },
              signal,
            );
            usage = addUsage(usage, result.usage);
            const hits = result.continuations.filter((c) => c.finishReason === "end" && reaches(gold, [...prefix, ...c.steps])).length;
            return hits / rollouts;
          }),
        );
        const finalAnswer = reader.extract(steps.join(generator.stepDelimiter));
        return {
          problemId: problem.id,
          ...(problem.level === undefined ? {} : { level: problem.level }),
          question: problem.question,
          answer: gold,
          sample: s,
          steps,
          labels,
          finalAnswer,
          correct,
          finishReason: sample.finishReason,
          ...(exact ? { exact } : {}),
        };
      }),
    );
    // Every rollout has finished by now, so `usage` holds the whole problem's compute.
    return { problemId: problem.id, records, usage };
  };

  let done = 0;
  let count = 0;
  for await (const result of orderedPool(problems, concurrency, labelProblem)) {
    for (const record of result.records) yield { type: "record", record };
    count += result.records.length;
    yield { type: "problem", problemId: result.problemId, done: ++done, total: problems.length, records: count, usage: result.usage };
  }
}
