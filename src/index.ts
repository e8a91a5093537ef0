// ponder's public API. Everything a library user needs is exported here and nowhere else.
export type { Problem } from "./core/problem.js";
export type { Candidate } from "./core/candidate.js";
export type { Generator, GenerationRequest, GenerationResult, Continuation, SamplingOptions } from "./core/generator.js";
export type { Verifier, ScoreRequest, ScoreResult } from "./core/verifier.js";
export type { AnswerReader } from "./core/answer-reader.js";
export type { PromptTemplate } from "./core/prompt-template.js";
export type { Budget } from "./core/budget.js";
export type { ModelUsage, Usage } from "./core/usage.js";
export { BudgetTracker, validateBudget } from "./core/budget.js";
export { ComputeMeter } from "./core/compute-meter.js";
export { addUsage, totalUsage } from "./core/usage.js";
export { deriveSeed, createRng } from "./core/rng.js";
export { PonderError } from "./core/errors/ponder-error.js";
export { InvalidOptionError } from "./core/errors/invalid-option-error.js";
export { BudgetExhaustedError } from "./core/errors/budget-exhausted-error.js";
export { ModelLoadError } from "./core/errors/model-load-error.js";
export { ContextOverflowError } from "./core/errors/context-overflow-error.js";
export { AbortedError } from "./core/errors/aborted-error.js";
export { LlamaEngine, type LlamaEngineOptions } from "./backends/llama/llama-engine.js";
export { LlamaGenerator } from "./backends/llama/llama-generator.js";
export { templates, templateByName, demoTemplate, plainTemplate, chatmlTemplate, llama3Template } from "./templates/templates.js";
export { writeGguf, gguf, type GgufFile, type GgufTensor, type GgufValue } from "./gguf/gguf-writer.js";
export { llamaGguf, randomLlamaWeights, llamaParameterCount, type LlamaConfig, type LlamaWeights } from "./gguf/llama-model.js";
export { buildSpmVocab, type SpmVocab } from "./gguf/spm-vocab.js";

// Strategies: one signature, (problem, { generator, verifier, answers }, options) → result with usage.
export type { Strategy, StrategyDeps, StrategyResult, CommonOptions, SearchEvent } from "./strategies/strategy.js";
export { strategies, strategyByName, type StrategyEntry, type AnyStrategyOptions } from "./strategies/index.js";
export { majorityVote } from "./strategies/majority-vote.js";
export { bestOfN, naiveBestOfN } from "./strategies/best-of-n.js";
export { beamSearch, type BeamSearchOptions } from "./strategies/beam-search.js";
export { lookaheadSearch, type LookaheadOptions } from "./strategies/lookahead-search.js";
export { dvts, type DvtsOptions } from "./strategies/dvts.js";
export { revisions, type RevisionOptions } from "./strategies/revisions.js";
export { auto, type AutoOptions } from "./strategies/auto.js";
export { aggregateStepScores, STEP_AGGREGATIONS, type StepAggregation } from "./aggregation/aggregate-step-scores.js";
export { vote, tallyAnswers, type VoteRule } from "./aggregation/vote.js";

// Backends and verifiers, by spec string or constructed directly.
export { createGenerator, GENERATOR_SPEC_HELP } from "./backends/create-generator.js";
export { createVerifier, VERIFIER_SPEC_HELP } from "./verifiers/create-verifier.js";
export { OpenAIClient, type OpenAIClientOptions } from "./backends/openai/openai-client.js";
export { OpenAIGenerator, type OpenAIGeneratorOptions } from "./backends/openai/openai-generator.js";
export { TokenRewardVerifier } from "./verifiers/token-reward-verifier.js";
export { demoPrmFormat, mathShepherdFormat, rlhflowFormat, tokenRewardFormats, type TokenRewardFormat } from "./verifiers/token-reward-format.js";
export { LlamaNextTokenScorer } from "./verifiers/llama-next-token-scorer.js";
export { HttpNextTokenScorer } from "./verifiers/http-next-token-scorer.js";
export { PoolingPrmVerifier } from "./verifiers/pooling-prm-verifier.js";
export { PoolingOrmVerifier } from "./verifiers/pooling-orm-verifier.js";
export { JudgeVerifier } from "./verifiers/judge-verifier.js";
export { OracleVerifier } from "./verifiers/oracle-verifier.js";
export { defaultModels, defaultModelPath } from "./models/default-models.js";

// Grading and datasets.
export { answersEqual, compareAnswers, extractAnswer, extractionPresets, canonicalAnswer, mathAnswerReader, answerReader, answerReaderFor, gradePair } from "./grading/index.js";
export { loadDataset, DATASET_NAMES, type LoadedDataset } from "./datasets/load-dataset.js";
export { loadSynthetic } from "./datasets/synthetic/load-synthetic.js";
export { generateSyntheticProblem } from "./datasets/synthetic/generate-problem.js";
export { syntheticAnswerReader } from "./datasets/synthetic/synthetic-answer-reader.js";

// Evaluation, compute-optimal policies and the server.
export { evaluate, evaluateIter, type EvalOptions } from "./eval/run-eval.js";
export type { EvalConfig } from "./eval/eval-config.js";
export { loadPolicy, savePolicy, type ComputeOptimalPolicy } from "./compute-optimal/policy.js";
export { solveBatch } from "./compute-optimal/solve-batch.js";
export { createServer, type PonderServer, type PonderServerOptions } from "./server/create-server.js";
