import type { AnswerReader } from "../core/answer-reader.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import type { Generator } from "../core/generator.js";
import type { Problem } from "../core/problem.js";
import { deriveSeed } from "../core/rng.js";
import type { Usage } from "../core/usage.js";
import { orderedPool } from "./ordered-pool.js";
import { pairRevisions } from "./pair-revisions.js";

export interface RevisionOptions {
  /** Solutions sampled in parallel per problem (64 in the published work). */
  samples?: number;
  /** Most wrong attempts placed before a correct one. */
  maxAttempts?: number;
  /** Most trajectories kept per problem, so easy problems do not crowd out the rest. */
  perProblem?: number;
  temperature?: number;
  maxTokens?: number;
  seed?: number;
  concurrency?: number;
}

/** One revision training trajectory: wrong attempts, oldest first, then a correct solution. */
export interface RevisionRecord {
  problemId: string;
  level?: number;
  question: string;
  answer: string;
  /** Earlier wrong attempts, each a solution with steps joined by the step delimiter; the last is the closest to `target`. */
  attempts: string[];
  target: string;
}

export type RevisionEvent =
  | { type: "record"; record: RevisionRecord }
  | { type: "problem"; problemId: string; done: number; total: number; records: number; correctSamples: number; usage: Usage };

/**
 * Revision trajectories: sample `samples` solutions per problem, split them into correct and wrong by
 * the gold answer, and pair them with `pairRevisions`. Problems whose samples are all wrong give none.
 */
export async function* buildRevisions(
  problems: readonly Problem[],
  generator: Generator,
  reader: AnswerReader,
  { samples = 16, maxAttempts = 4, perProblem = 4, temperature = 0.8, maxTokens = 256, seed = 0, concurrency = 4 }: RevisionOptions = {},
  signal?: AbortSignal,
): AsyncGenerator<RevisionEvent> {
  for (const [name, value] of Object.entries({ samples, perProblem, concurrency })) {
    if (!Number.isInteger(value) || value < 1) throw new InvalidOptionError({ field: name, value, accepted: "an integer ≥ 1" });
  }
  if (!Number.isInteger(maxAttempts) || maxAttempts < 0) throw new InvalidOptionError({ field: "maxAttempts", value: maxAttempts, accepted: "an integer ≥ 0" });
  for (const p of problems) {
    if (p.answer === undefined) throw new InvalidOptionError({ field: `answer of problem ${p.id}`, value: undefined, accepted: "a gold answer (trajectories need one)" });
  }

  const build = async (problem: Problem) => {
    const result = await generator.generate(
      { problem, until: "solution", n: samples, sampling: { temperature, maxTokens, seed: deriveSeed(seed, problem.id, "revision-samples") } },
      signal,
    );
    const correct: string[] = [];
    const wrong: string[] = [];
    for (const c of result.continuations) {
      const text = c.steps.join(generator.stepDelimiter);
      const answer = c.finishReason === "end" ? reader.extract(text) : null;
      (answer !== null && reader.canonical(answer) === reader.canonical(problem.answer!) ? correct : wrong).push(text);
    }
    const pairs = pairRevisions(correct, wrong, { maxAttempts, perProblem, seed: deriveSeed(seed, problem.id, "pairs") });
    const records = pairs.map(
      (pair): RevisionRecord => ({
        problemId: problem.id,
        ...(problem.level === undefined ? {} : { level: problem.level }),
        question: problem.question,
        answer: problem.answer!,
        ...pair,
      }),
    );
    return { problemId: problem.id, records, correctSamples: correct.length, usage: result.usage };
  };

  let done = 0;
  let count = 0;
  for await (const result of orderedPool(problems, concurrency, build)) {
    for (const record of result.records) yield { type: "record", record };
    count += result.records.length;
    yield { type: "problem", problemId: result.problemId, done: ++done, total: problems.length, records: count, correctSamples: result.correctSamples, usage: result.usage };
  }
}
