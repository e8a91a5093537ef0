import { STEP_AGGREGATIONS, type StepAggregation } from "../aggregation/aggregate-step-scores.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import { LIMITS } from "../core/limits.js";
import { strategies } from "../strategies/index.js";
import { GREEDY } from "./sampling-strategies.js";

/**
 * Everything that decides a run's records. Stored beside the results and compared on resume,
 * so a resumed run never mixes records made under another configuration.
 */
export interface EvalConfig {
  /** The dataset as named (a name or a path). */
  dataset: string;
  /** Fingerprint of the problems evaluated (ids, questions, gold answers), so a changed file is caught. */
  problems: string;
  /** The policy as named (a shipped model name, a GGUF path, an `hf:` URI or an endpoint). */
  policy: string;
  /** The verifier as named, or null when no strategy needs one. */
  verifier: string | null;
  /** The revision model as named, when revisions run and it differs from the policy. */
  reviser: string | null;
  strategies: string[];
  /** Generation budgets N, ascending. */
  budgets: number[];
  seeds: number[];
  temperature: number;
  maxTokens: number;
  maxStepTokens: number;
  maxSteps: number;
  aggregation: StepAggregation;
  beamWidth: number;
  lookahead: number;
  chainLength: number;
  /** For `auto`: the compute-optimal policy file, as `<path>#<sha256 of its content, 12 hex>` (absent when auto does not run). */
  computePolicy?: string;
  /** The slice of the problems this run holds (`--shard k/n`; absent when it holds them all). */
  shard?: { index: number; count: number };
  /** How many problems the evaluation covers (all its shards together), so an unfinished run can be told from a finished one (runs before 0.1.0 lack it; not compared on resume: `problems` is). */
  problemCount?: number;
}

export const DEFAULT_EVAL_CONFIG = {
  strategies: ["majority", "weighted-best-of-n", "beam-search"],
  budgets: [1, 4, 16],
  seeds: [0],
  temperature: 0.8,
  maxTokens: 256,
  maxStepTokens: 64,
  maxSteps: 40,
  aggregation: "last",
  beamWidth: 4,
  lookahead: 1,
  chainLength: 4,
} as const satisfies Partial<EvalConfig>;

/** Names `--strategies` accepts: the strategy table plus `greedy` (one temperature-0 sample). */
export function evalStrategyNames(): string[] {
  return [...Object.keys(strategies), GREEDY];
}

/** Checks a configuration's fields; throws InvalidOptionError naming the bad one and what is accepted. */
export function validateEvalConfig(config: EvalConfig): EvalConfig {
  const bad = (field: string, value: unknown, accepted: string) => new InvalidOptionError({ field, value, accepted });
  const names = evalStrategyNames();
  if (config.strategies.length === 0) throw bad("strategies", "", names.join(", "));
  for (const s of config.strategies) if (!names.includes(s)) throw bad("strategies", s, names.join(", "));
  if (new Set(config.strategies).size !== config.strategies.length) throw bad("strategies", config.strategies.join(","), "each strategy once");
  const budgets = `integers from 1 to ${LIMITS.generations}, at most ${LIMITS.listLength} of them, like 1,4,16`;
  if (config.budgets.length === 0 || config.budgets.length > LIMITS.listLength) throw bad("budgets", config.budgets.join(","), budgets);
  for (const b of config.budgets) if (!Number.isInteger(b) || b < 1 || b > LIMITS.generations) throw bad("budgets", b, budgets);
  const seeds = `integers from 0 to ${LIMITS.seed}, at most ${LIMITS.listLength} of them, like 0,1,2`;
  if (config.seeds.length === 0 || config.seeds.length > LIMITS.listLength) throw bad("seeds", config.seeds.join(","), seeds);
  for (const s of config.seeds) if (!Number.isInteger(s) || s < 0 || s > LIMITS.seed) throw bad("seeds", s, seeds);
  if (!(config.temperature >= 0 && config.temperature <= LIMITS.temperature)) throw bad("temperature", config.temperature, `a number from 0 to ${LIMITS.temperature}`);
  const maxima = { maxTokens: LIMITS.tokensPerSolution, maxStepTokens: LIMITS.tokensPerSolution, maxSteps: LIMITS.steps, beamWidth: LIMITS.generations, lookahead: LIMITS.steps, chainLength: LIMITS.generations };
  for (const [field, max] of Object.entries(maxima) as [keyof typeof maxima, number][]) {
    if (!Number.isInteger(config[field]) || config[field] < 1 || config[field] > max) throw bad(field, config[field], `an integer from 1 to ${max}`);
  }
  if (!STEP_AGGREGATIONS.includes(config.aggregation)) throw bad("aggregation", config.aggregation, STEP_AGGREGATIONS.join(", "));
  const needsVerifier = config.strategies.filter((s) => strategies[s]?.needsVerifier);
  if (config.strategies.includes("auto") && !config.computePolicy) throw bad("compute-policy", undefined, "the policy JSON `ponder calibrate` wrote (required by the auto strategy)");
  if (needsVerifier.length > 0 && !config.verifier) {
    throw bad("verifier", undefined, `a verifier: ${needsVerifier.join(", ")} select by score`);
  }
  return { ...config, budgets: [...new Set(config.budgets)].sort((a, b) => a - b), seeds: [...new Set(config.seeds)] };
}

/** The fields whose values differ between two configurations, in field order (`problemCount` is informational). */
export function configDifferences(stored: EvalConfig, requested: EvalConfig): { field: string; stored: unknown; requested: unknown }[] {
  const fields = [...new Set([...Object.keys(stored), ...Object.keys(requested)])].filter((f) => f !== "problemCount") as (keyof EvalConfig)[];
  // The problems are compared by fingerprint but described by count: a hash means nothing to a user.
  const sameCount = stored.problemCount !== undefined && stored.problemCount === requested.problemCount;
  const problems = (c: EvalConfig, other: boolean) => (c.problemCount === undefined ? "other problems" : `${c.problemCount} ${other && sameCount ? "other " : ""}problems`);
  return fields
    .filter((f) => JSON.stringify(stored[f]) !== JSON.stringify(requested[f]))
    .map((field) => (field === "problems" ? { field, stored: problems(stored, false), requested: problems(requested, true) } : { field, stored: stored[field], requested: requested[field] }));
}
