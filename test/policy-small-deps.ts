import { LlamaEngine } from "../src/backends/llama/llama-engine.js";
import { LlamaGenerator } from "../src/backends/llama/llama-generator.js";
import { syntheticAnswerReader } from "../src/datasets/synthetic/synthetic-answer-reader.js";
import { defaultModelPath } from "../src/models/default-models.js";
import type { StrategyDeps } from "../src/strategies/strategy.js";
import { demoTemplate } from "../src/templates/templates.js";

/** The shipped policy on the embedded engine, for tests whose strategies need answers that agree and confidence that means something. */
export async function policySmallDeps(sequences = 8): Promise<{ engine: LlamaEngine; deps: StrategyDeps }> {
  const engine = await LlamaEngine.load({ model: defaultModelPath("policy-small"), threads: 1, sequences });
  return { engine, deps: { generator: new LlamaGenerator(engine, demoTemplate), answers: syntheticAnswerReader } };
}
