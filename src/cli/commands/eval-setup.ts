import { existsSync } from "node:fs";
import type { AnswerReader } from "../../core/answer-reader.js";
import type { Generator } from "../../core/generator.js";
import type { Problem } from "../../core/problem.js";
import type { Verifier } from "../../core/verifier.js";
import { loadDataset } from "../../datasets/load-dataset.js";
import { loadSynthetic } from "../../datasets/synthetic/load-synthetic.js";
import { syntheticAnswerReader } from "../../datasets/synthetic/synthetic-answer-reader.js";
import type { Grader } from "../../eval/to-record.js";
import { answersEqual } from "../../grading/answers-equal.js";
import { loadModels } from "./load-models.js";

/** What `ponder eval` (and `ponder calibrate`) run on, loaded from the names on the command line. */
export interface EvalSetup {
  problems: Problem[];
  answers: AnswerReader;
  /** Whether a stated answer is the gold one. */
  grade: Grader;
  generator: Generator;
  verifier?: Verifier;
  reviser?: Generator;
  dispose(): Promise<void>;
}

export interface EvalSetupFlags {
  dataset: string;
  limit?: number;
  levels?: string;
  problemSeed: number;
  policy: string;
  verifier: string | null;
  reviser: string | null;
  /** llama.cpp threads per embedded model; undefined: chosen for all models together. */
  threads: number | undefined;
  sequences: number;
}

/**
 * Loads the dataset and the models a command names: generator and verifier specs as `ponder solve`
 * takes them (a shipped demo model by name, a GGUF path, hf:…, an http(s) endpoint).
 */
export async function loadEvalSetup(flags: EvalSetupFlags, loaded?: EvalProblems): Promise<EvalSetup> {
  const { problems, answers, grade } = loaded ?? (await loadProblems(flags));
  const models = await loadModels(
    { policy: flags.policy, verifier: flags.verifier ? verifierSpec(flags.verifier) : null, reviser: flags.reviser },
    { threads: flags.threads, sequences: flags.sequences, contextSize: 1024, answers },
  );
  return { problems, answers, grade, ...models };
}

/** A bare GGUF path names a token PRM in the demo format, as `--verifier` always accepted. */
function verifierSpec(spec: string): string {
  return spec.split("?")[0]!.endsWith(".gguf") && existsSync(spec.split("?")[0]!) ? `prm:${spec}` : spec;
}

/** The problems of an evaluation, with how answers are read and graded. */
export type EvalProblems = Pick<EvalSetup, "problems" | "answers" | "grade">;

/** The dataset a command names, loaded without any model (so a run directory can be checked before models load). */
export async function loadProblems({ dataset, limit, levels, problemSeed }: Pick<EvalSetupFlags, "dataset" | "limit" | "levels" | "problemSeed">): Promise<EvalProblems> {
  if (dataset === "synthetic") {
    const problems = loadSynthetic({ count: limit ?? 100, seed: problemSeed, ...(levels ? { levels } : {}) });
    return { problems, answers: syntheticAnswerReader, grade: (gold, _answer, key) => syntheticAnswerReader.canonical(gold) === key };
  }
  const loaded = await loadDataset(dataset, { onDownload: (url) => process.stderr.write(`downloading ${url}\n`) });
  const problems = limit === undefined ? loaded.problems : loaded.problems.slice(0, limit);
  return { problems, answers: loaded.answers, grade: (gold, answer) => answersEqual(gold, answer) };
}
