import type { EvalConfig } from "./eval-config.js";

/** The `ponder eval` options that set each field of a run's configuration, for errors about a changed run. */
export const CONFIG_FIELD_OPTIONS: Readonly<Record<keyof EvalConfig, string>> = {
  dataset: "--dataset",
  problems: "the problems (--dataset, --limit, --levels, --problem-seed, or the dataset file's content)",
  policy: "--policy",
  verifier: "--verifier",
  reviser: "--reviser",
  strategies: "--strategies",
  budgets: "--budgets",
  seeds: "--seeds",
  temperature: "--temperature",
  maxTokens: "--max-tokens",
  maxStepTokens: "--max-step-tokens",
  maxSteps: "--max-steps",
  aggregation: "--aggregation",
  beamWidth: "--beam-width",
  lookahead: "--lookahead",
  chainLength: "--chain-length",
  computePolicy: "--compute-policy",
  problemCount: "--limit",
  shard: "--shard",
};

/** The option behind a configuration field (the field itself when unknown). */
export function configFieldOption(field: string): string {
  return (CONFIG_FIELD_OPTIONS as Record<string, string>)[field] ?? field;
}
