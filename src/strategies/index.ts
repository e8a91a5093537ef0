import type { ComputeOptimalPolicy } from "../compute-optimal/policy.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import { auto } from "./auto.js";
import { beamSearch } from "./beam-search.js";
import { bestOfN, naiveBestOfN } from "./best-of-n.js";
import { dvts } from "./dvts.js";
import { lookaheadSearch } from "./lookahead-search.js";
import { majorityVote } from "./majority-vote.js";
import { revisions } from "./revisions.js";
import type { CommonOptions, Strategy } from "./strategy.js";

/** Options any strategy in the table may read; each ignores the ones it does not use. */
export type AnyStrategyOptions = CommonOptions & {
  beamWidth?: number;
  lookahead?: number;
  dropDuplicates?: boolean;
  chainLength?: number;
  contextAttempts?: number;
  selection?: "hierarchical" | "weighted" | "majority";
  stopWhenDecided?: number;
  wave?: number;
  /** For `auto`: the compute-optimal policy `ponder calibrate` wrote. */
  policy?: ComputeOptimalPolicy;
};

export interface StrategyEntry {
  run: Strategy<AnyStrategyOptions>;
  /** One line for `--help`. */
  summary: string;
  needsVerifier: boolean;
}

/** Every strategy by name; `ponder solve --strategy <name>` and `ponder eval --strategies` read this table. */
export const strategies: Readonly<Record<string, StrategyEntry>> = {
  majority: { run: majorityVote, summary: "N solutions, the most frequent answer (self-consistency); no verifier", needsVerifier: false },
  "best-of-n": { run: naiveBestOfN, summary: "N solutions, the single best-scored one", needsVerifier: true },
  "weighted-best-of-n": { run: bestOfN, summary: "N solutions, the answer with the largest summed score", needsVerifier: true },
  "beam-search": { run: beamSearch, summary: "PRM beam search: keep N/M beams, extend each M ways per step (--beam-width M)", needsVerifier: true },
  lookahead: { run: lookaheadSearch, summary: "beam search scoring each step after a k-step greedy rollout (--lookahead k); N/(k+1) beams", needsVerifier: true },
  dvts: { run: dvts, summary: "diverse verifier tree search: N/M independent subtrees, each keeps its best of M steps", needsVerifier: true },
  revisions: {
    run: revisions,
    summary: "N/S parallel chains of S sequential revisions by the revision model (--chain-length S); verifier-weighted selection",
    needsVerifier: false,
  },
  auto: {
    run: (problem, deps, options) => auto(problem, deps, { ...options, policy: options.policy!, table: strategies }),
    summary: "compute-optimal: predict difficulty from a few scored samples, run what calibration chose for it (--policy FILE)",
    needsVerifier: true,
  },
};

/** A strategy by name; throws naming the accepted names. */
export function strategyByName(name: string): StrategyEntry {
  const entry = strategies[name];
  if (!entry) throw new InvalidOptionError({ field: "strategy", value: name, accepted: Object.keys(strategies).join(", ") });
  return entry;
}
