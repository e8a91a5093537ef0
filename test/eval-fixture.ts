import { LlamaEngine } from "../src/backends/llama/llama-engine.js";
import { LlamaGenerator } from "../src/backends/llama/llama-generator.js";
import type { Problem } from "../src/core/problem.js";
import { DEFAULT_EVAL_CONFIG, type EvalConfig } from "../src/eval/eval-config.js";
import { problemsFingerprint } from "../src/eval/problems-fingerprint.js";
import type { EvalOptions } from "../src/eval/run-eval.js";
import { demoTemplate } from "../src/templates/templates.js";
import { HashVerifier } from "./hash-verifier.js";
import { testAnswerReader } from "./test-answer-reader.js";
import { tinyModelPath } from "./tiny-model.js";

/** Small arithmetic problems with gold answers, for evaluation plumbing tests on the tiny model. */
export const EVAL_PROBLEMS: Problem[] = Array.from({ length: 6 }, (_, i) => ({
  id: `q${i}`,
  question: `What is ${i + 2} + ${i * 3}?`,
  answer: String(i + 2 + i * 3),
  level: 1 + (i % 3),
}));

/** A quick configuration: three strategies, budgets 1, 2, 4, tiny token limits. */
export function evalFixtureConfig(overrides: Partial<EvalConfig> = {}): EvalConfig {
  return {
    ...DEFAULT_EVAL_CONFIG,
    dataset: "eval-fixture",
    problems: problemsFingerprint(EVAL_PROBLEMS),
    policy: "tiny-arithmetic",
    verifier: "hash-prm",
    reviser: null,
    strategies: ["majority", "weighted-best-of-n", "beam-search"],
    budgets: [1, 2, 4],
    seeds: [0],
    maxTokens: 40,
    maxStepTokens: 12,
    maxSteps: 4,
    beamWidth: 2,
    ...overrides,
  };
}

/** Loads the tiny arithmetic model and returns everything `evaluate` needs but the output directory. */
export async function evalFixture(overrides: Partial<EvalConfig> = {}): Promise<{ engine: LlamaEngine; options: Omit<EvalOptions, "out"> }> {
  const engine = await LlamaEngine.load({ model: await tinyModelPath({ arithmetic: true }), threads: 1, sequences: 8, contextSize: 256 });
  return {
    engine,
    options: {
      config: evalFixtureConfig(overrides),
      problems: EVAL_PROBLEMS,
      deps: { generator: new LlamaGenerator(engine, demoTemplate), verifier: new HashVerifier() },
      answers: testAnswerReader,
      concurrency: 4,
    },
  };
}
