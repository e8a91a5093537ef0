import type { Candidate } from "../core/candidate.js";
import type { ComputeOptimalPolicy } from "../compute-optimal/policy.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import { adaptiveConsistency } from "./adaptive-consistency.js";
import { auto } from "./auto.js";
import { beamSearch } from "./beam-search.js";
import { bestOfN, naiveBestOfN } from "./best-of-n.js";
import type { ConfidenceOptions } from "./confident-traces.js";
import { deepConfOffline } from "./deepconf-offline.js";
import { deepConfOnline } from "./deepconf-online.js";
import { dvts } from "./dvts.js";
import { esc } from "./esc.js";
import { lookaheadSearch } from "./lookahead-search.js";
import { majorityVote } from "./majority-vote.js";
import { revisions } from "./revisions.js";
import type { CommonOptions, Strategy } from "./strategy.js";

/** Options any strategy in the table may read; each ignores the ones it does not use. */
export type AnyStrategyOptions = CommonOptions &
  ConfidenceOptions & {
  beamWidth?: number;
  lookahead?: number;
  dropDuplicates?: boolean;
  chainLength?: number;
  contextAttempts?: number;
  selection?: "hierarchical" | "weighted" | "majority";
  stopWhenDecided?: number;
  wave?: number;
  /** Scored solutions drawn before (auto's probe) that a search's early stop counts in its vote (dvts). */
  voteWith?: readonly Candidate[];
  keepPercent?: number;
  warmup?: number;
  consensus?: number;
  giveUpAfter?: number;
  /** For `auto`: the compute-optimal policy `ponder calibrate` wrote. */
  policy?: ComputeOptimalPolicy;
};

export interface StrategyEntry {
  run: Strategy<AnyStrategyOptions>;
  /** One line for `--help`. */
  summary: string;
  needsVerifier: boolean;
  /**
   * Draws sample i as majority voting does (seed sampleSeed(seed, i)) and takes `presampled`, a probe's
   * samples drawn the same way, as its first ones: `auto` and calibration then count the probe as
   * part of its run rather than adding the probe's samples to its vote.
   */
  presampling?: boolean;
}

/** Every strategy by name; `ponder solve --strategy <name>` and `ponder eval --strategies` read this table. */
export const strategies: Readonly<Record<string, StrategyEntry>> = {
  majority: { run: majorityVote, summary: "N solutions, the most frequent answer (self-consistency); no verifier", needsVerifier: false, presampling: true },
  "best-of-n": { run: naiveBestOfN, summary: "N solutions, the single best-scored one", needsVerifier: true, presampling: true },
  "weighted-best-of-n": { run: bestOfN, summary: "N solutions, the answer with the largest summed score", needsVerifier: true, presampling: true },
  "beam-search": { run: beamSearch, summary: "PRM beam search: keep N/M beams, extend each M ways per step (--beam-width M)", needsVerifier: true },
  lookahead: { run: lookaheadSearch, summary: "beam search scoring each step after a k-step greedy rollout (--lookahead k); N/(k+1) beams", needsVerifier: true },
  dvts: { run: dvts, summary: "diverse verifier tree search: N/M independent subtrees, each keeps its best of M steps", needsVerifier: true },
  "deepconf-offline": {
    run: deepConfOffline,
    summary: "N solutions with the policy's token confidence; the most confident η% vote, weighted by it (--keep-percent); no verifier",
    needsVerifier: false,
  },
  "deepconf-online": {
    run: deepConfOnline,
    summary: "warm-up solutions set a confidence threshold; later ones stop as soon as they fall below it; stops once the vote is decided or its answers keep scattering; no verifier",
    needsVerifier: false,
  },
  esc: { run: esc, summary: "early-stopping self-consistency: windows of solutions until one window agrees (--wave); no verifier", needsVerifier: false, presampling: true },
  "adaptive-consistency": {
    run: adaptiveConsistency,
    summary: "solutions until a Beta posterior says the leading answer is the mode (--stop-when-decided); no verifier",
    needsVerifier: false,
    presampling: true,
  },
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
