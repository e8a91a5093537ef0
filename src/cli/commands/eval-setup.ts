import { existsSync } from "node:fs";
import type { AnswerReader } from "../../core/answer-reader.js";
import { InvalidOptionError } from "../../core/errors/invalid-option-error.js";
import type { Generator } from "../../core/generator.js";
import type { Problem } from "../../core/problem.js";
import type { Verifier } from "../../core/verifier.js";
import { LlamaEngine } from "../../backends/llama/llama-engine.js";
import { LlamaGenerator } from "../../backends/llama/llama-generator.js";
import { loadSynthetic } from "../../datasets/synthetic/load-synthetic.js";
import { syntheticAnswerReader } from "../../datasets/synthetic/synthetic-answer-reader.js";
import { DEMO_MODEL_NAMES, defaultModelPath, type DemoModelName } from "../../models/default-models.js";
import { demoTemplate } from "../../templates/templates.js";
import { LlamaNextTokenScorer } from "../../verifiers/llama-next-token-scorer.js";
import { demoPrmFormat } from "../../verifiers/token-reward-format.js";
import { TokenRewardVerifier } from "../../verifiers/token-reward-verifier.js";

/** What `ponder eval` runs on, loaded from the names on its command line. */
export interface EvalSetup {
  problems: Problem[];
  answers: AnswerReader;
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
 * Loads the dataset and the models `ponder eval` names: a shipped demo model by name or a GGUF
 * path, on the embedded engine, with the demo prompt and PRM formats.
 */
export async function loadEvalSetup(flags: EvalSetupFlags): Promise<EvalSetup> {
  const problems = loadProblems(flags);
  const engines: LlamaEngine[] = [];
  const load = async (spec: string) => {
    const engine = await LlamaEngine.load({ model: modelPath(spec), threads: flags.threads, sequences: flags.sequences, contextSize: 1024 });
    engines.push(engine);
    return engine;
  };
  try {
    const generator = new LlamaGenerator(await load(flags.policy), demoTemplate);
    const verifier = flags.verifier ? new TokenRewardVerifier({ scorer: new LlamaNextTokenScorer(await load(flags.verifier)), format: demoPrmFormat }) : undefined;
    const reviser = flags.reviser ? new LlamaGenerator(await load(flags.reviser), demoTemplate) : undefined;
    return {
      problems,
      answers: syntheticAnswerReader,
      generator,
      ...(verifier ? { verifier } : {}),
      ...(reviser ? { reviser } : {}),
      dispose: async () => {
        for (const e of engines) await e.dispose();
      },
    };
  } catch (error) {
    for (const e of engines) await e.dispose();
    throw error;
  }
}

function loadProblems({ dataset, limit, levels, problemSeed }: EvalSetupFlags): Problem[] {
  if (dataset !== "synthetic") throw new InvalidOptionError({ field: "--dataset", value: dataset, accepted: "synthetic" });
  return loadSynthetic({ count: limit ?? 100, seed: problemSeed, ...(levels ? { levels } : {}) });
}

/** A demo model's path by name, or a GGUF file as given. */
export function modelPath(spec: string): string {
  if ((DEMO_MODEL_NAMES as readonly string[]).includes(spec)) return defaultModelPath(spec as DemoModelName);
  if (!existsSync(spec)) throw new InvalidOptionError({ field: "model", value: spec, accepted: `${DEMO_MODEL_NAMES.join(", ")} or a GGUF file path` });
  return spec;
}
