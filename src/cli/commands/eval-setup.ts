import { existsSync } from "node:fs";
import { createGenerator, type CreatedGenerator } from "../../backends/create-generator.js";
import type { AnswerReader } from "../../core/answer-reader.js";
import type { Generator } from "../../core/generator.js";
import type { Problem } from "../../core/problem.js";
import type { Verifier } from "../../core/verifier.js";
import { loadDataset } from "../../datasets/load-dataset.js";
import { loadSynthetic } from "../../datasets/synthetic/load-synthetic.js";
import { syntheticAnswerReader } from "../../datasets/synthetic/synthetic-answer-reader.js";
import type { Grader } from "../../eval/to-record.js";
import { answersEqual } from "../../grading/answers-equal.js";
import { createVerifier, type CreatedVerifier } from "../../verifiers/create-verifier.js";

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
  threads: number;
  sequences: number;
}

/**
 * Loads the dataset and the models a command names: generator and verifier specs as `ponder solve`
 * takes them (a shipped demo model by name, a GGUF path, hf:…, an http(s) endpoint).
 */
export async function loadEvalSetup(flags: EvalSetupFlags): Promise<EvalSetup> {
  const { problems, answers, grade } = await loadProblems(flags);
  const held: (CreatedGenerator | CreatedVerifier)[] = [];
  const engine = { threads: flags.threads, sequences: flags.sequences, contextSize: 1024 };
  try {
    const policy = await createGenerator(flags.policy, engine);
    held.push(policy);
    const verifier = flags.verifier ? await createVerifier(verifierSpec(flags.verifier), { ...engine, answers }) : undefined;
    if (verifier) held.push(verifier);
    const reviser = flags.reviser ? await createGenerator(flags.reviser, engine) : undefined;
    if (reviser) held.push(reviser);
    return {
      problems,
      answers,
      grade,
      generator: policy.generator,
      ...(verifier ? { verifier: verifier.verifier } : {}),
      ...(reviser ? { reviser: reviser.generator } : {}),
      dispose: async () => {
        for (const h of held.reverse()) await h.dispose();
      },
    };
  } catch (error) {
    for (const h of held.reverse()) await h.dispose();
    throw error;
  }
}

/** A bare GGUF path names a token PRM in the demo format, as `--verifier` always accepted. */
function verifierSpec(spec: string): string {
  return spec.split("?")[0]!.endsWith(".gguf") && existsSync(spec.split("?")[0]!) ? `prm:${spec}` : spec;
}

async function loadProblems({ dataset, limit, levels, problemSeed }: EvalSetupFlags): Promise<Pick<EvalSetup, "problems" | "answers" | "grade">> {
  if (dataset === "synthetic") {
    const problems = loadSynthetic({ count: limit ?? 100, seed: problemSeed, ...(levels ? { levels } : {}) });
    return { problems, answers: syntheticAnswerReader, grade: (gold, _answer, key) => syntheticAnswerReader.canonical(gold) === key };
  }
  const loaded = await loadDataset(dataset, { onDownload: (url) => process.stderr.write(`downloading ${url}\n`) });
  const problems = limit === undefined ? loaded.problems : loaded.problems.slice(0, limit);
  return { problems, answers: loaded.answers, grade: (gold, answer) => answersEqual(gold, answer) };
}
