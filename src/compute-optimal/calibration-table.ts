import { vote } from "../aggregation/vote.js";
import { voteDecided } from "../aggregation/vote-decided.js";
import type { Candidate } from "../core/candidate.js";
import { totalUsage } from "../core/usage.js";
import { computeAxes } from "../eval/metrics/compute-axes.js";
import type { EvalRecord, RecordedCandidate } from "../eval/eval-record.js";
import { strategies } from "../strategies/index.js";

/** How one configuration did on one problem at one total budget. */
export interface Outcome {
  correct: boolean;
  /** Solutions begun, the probe included. */
  generations: number;
  /**
   * Processed FLOPs of every model, the probe included: prompt tokens the same request had already
   * sent are cache hits, so the figure does not depend on how the calibration runs were scheduled.
   */
  flops: number;
}

/** A strategy with its hyperparameters, run so that its total budget (probe included) is `budget`. */
export interface CalibratedConfig {
  key: string;
  strategy: string;
  options: Record<string, number | string | boolean>;
  /** Total generation budget, probe included. */
  budget: number;
  /** The budget the strategy itself runs at (searches get what the probe leaves). */
  runBudget: number;
  outcomes: Map<string, Outcome>;
}

export interface CalibrationTable {
  /** Problems with a probe, and the probe's mean score (the predicted difficulty; higher is easier). */
  problems: { id: string; predictedScore: number; level?: number }[];
  configs: CalibratedConfig[];
  probeSamples: number;
}

const SAMPLING: Record<string, "majority" | "weighted" | "best"> = { majority: "majority", "weighted-best-of-n": "weighted", "best-of-n": "best" };

/**
 * Turns evaluation records into what calibration chooses from: per problem, the probe's predicted
 * difficulty (mean score of the first `probeSamples` solutions of the weighted best-of-N run, which
 * `auto` draws with the same seeds), and per (configuration, total budget) each problem's outcome.
 * Sampling strategies take the probe as their first samples; early-stopping variants are replayed on
 * the recorded samples (exact, since sample i never depends on N); searches run at a budget r and
 * add the probe's solutions to their final weighted vote, for a total budget of r + probeSamples.
 * DVTS stopping early (`stopWhenDecided`, one subtree per wave, the probe in its vote) is replayed
 * on each complete DVTS run's subtrees, exact for the same reason.
 */
export function buildCalibrationTable(
  records: readonly EvalRecord[],
  { probeSamples, stopConfidences = [0.6, 0.8, 0.9, 0.95, 0.99], wave = 4 }: { probeSamples: number; stopConfidences?: readonly number[]; wave?: number },
): CalibrationTable {
  // Each (problem, seed) is one calibration instance: a seed's samples are its own draw.
  const byProblem = groupBy(records, (r) => instanceId(r));
  const probes = new Map<string, { candidates: RecordedCandidate[]; flopsPerSample: number }>();
  const problems: CalibrationTable["problems"] = [];
  for (const [id, rs] of byProblem) {
    const full = largest(rs.filter((r) => r.strategy === "weighted-best-of-n"));
    if (!full || full.candidates.length < probeSamples) continue;
    const candidates = full.candidates.slice(0, probeSamples);
    probes.set(id, { candidates, flopsPerSample: computeAxes(full.usage).processedFlops / full.candidates.length });
    problems.push({ id, predictedScore: mean(candidates.map((c) => c.score ?? 0)), ...(full.level !== undefined ? { level: full.level } : {}) });
  }

  const configs = new Map<string, CalibratedConfig>();
  const add = (strategy: string, options: CalibratedConfig["options"], budget: number, runBudget: number, problemId: string, outcome: Outcome) => {
    const key = `${strategy}${Object.keys(options).length ? `:${Object.entries(options).map(([k, v]) => `${k}=${v}`).join(",")}` : ""}@${budget}`;
    let config = configs.get(key);
    if (!config) configs.set(key, (config = { key, strategy, options, budget, runBudget, outcomes: new Map() }));
    config.outcomes.set(problemId, outcome);
  };

  for (const [id, rs] of byProblem) {
    const probe = probes.get(id);
    if (!probe) continue;
    for (const r of rs) {
      const flops = computeAxes(r.usage).processedFlops;
      const rule = SAMPLING[r.strategy];
      if (rule || strategies[r.strategy]?.presampling) {
        // The probe is this run's first samples, so the outcome is the record's own.
        add(r.strategy, {}, r.budget, r.budget, id, { correct: r.correct, generations: r.candidates.length, flops });
        if (rule && rule !== "best" && !r.subsampled) {
          for (const confidence of stopConfidences) {
            for (const budget of budgetsUpTo(rs, r)) {
              const used = earlyStop(r.candidates.slice(0, budget), rule, budget, confidence, wave);
              const pool = r.candidates.slice(0, used);
              add(r.strategy, { stopWhenDecided: confidence }, budget, budget, id, {
                correct: winnerCorrect(pool, rule),
                generations: used,
                flops: (flops / r.candidates.length) * used,
              });
            }
          }
        }
        continue;
      }
      if (r.strategy === "greedy" || r.strategy === "auto") continue;
      // A search, then one weighted vote over its candidates and the probe's.
      const merged = [...r.candidates, ...probe.candidates];
      const generations = totalUsage(r.usage).generations || r.budget;
      add(r.strategy, optionsOf(r), r.budget + probeSamples, r.budget, id, {
        correct: winnerCorrect(merged, "weighted"),
        generations: generations + probeSamples,
        flops: flops + probe.flopsPerSample * probeSamples,
      });
      // DVTS stopping early, replayed on the run's subtrees (exact: subtree t is the same in any run
      // and any wave), with the probe in the stop rule's vote as `auto` passes it.
      const subtrees = r.budget / Number(r.details.beamWidth ?? 4);
      if (r.strategy === "dvts" && r.stoppedBy === "complete" && r.candidates.length === subtrees && r.details.stoppedEarly === undefined) {
        for (const confidence of stopConfidences) {
          const grown = earlyStopSubtrees(probe.candidates, r.candidates, confidence);
          add(r.strategy, { ...optionsOf(r), stopWhenDecided: confidence }, r.budget + probeSamples, r.budget, id, {
            correct: winnerCorrect([...r.candidates.slice(0, grown), ...probe.candidates], "weighted"),
            generations: probeSamples + (generations / subtrees) * grown,
            flops: (flops / subtrees) * grown + probe.flopsPerSample * probeSamples,
          });
        }
      }
    }
  }
  return { problems, configs: [...configs.values()], probeSamples };
}

/** Samples an early-stopping vote would draw from `candidates` (waves of `wave`, then a check). */
export function earlyStop(candidates: readonly RecordedCandidate[], rule: "majority" | "weighted", budget: number, confidence: number, wave: number): number {
  let drawn = 0;
  while (drawn < Math.min(budget, candidates.length)) {
    drawn = Math.min(drawn + wave, budget, candidates.length);
    if (voteDecided(candidates.slice(0, drawn).map(asCandidate), rule, budget - drawn, confidence)) break;
  }
  return drawn;
}

/** Subtrees DVTS grows when stopping early (one per wave, as `dvts` does by default), `before` counted in the vote: `leaves` are a full run's, in subtree order. */
export function earlyStopSubtrees(before: readonly RecordedCandidate[], leaves: readonly RecordedCandidate[], confidence: number): number {
  const decided = (grown: number) => voteDecided([...before, ...leaves.slice(0, grown)].map(asCandidate), "weighted", leaves.length - grown, confidence);
  let grown = 0;
  while (grown < leaves.length && !decided(grown)) grown++;
  return grown;
}

/** Whether the winner of a vote over recorded candidates is correct (false when none states an answer). */
export function winnerCorrect(candidates: readonly RecordedCandidate[], rule: "majority" | "weighted" | "best"): boolean {
  const index = vote(candidates.map(asCandidate), rule);
  return index !== null && candidates[index]!.correct;
}

function asCandidate(c: RecordedCandidate): Candidate {
  return { steps: [c.text], finishReason: c.finishReason, answer: c.answer, answerKey: c.answerKey, ...(c.score !== undefined ? { score: c.score } : {}) };
}

/** The hyperparameters that distinguish one run of a search from another, read from its details. */
function optionsOf(r: EvalRecord): CalibratedConfig["options"] {
  const pick = (...names: string[]) => Object.fromEntries(names.filter((n) => r.details[n] !== undefined).map((n) => [n, r.details[n]!]));
  switch (r.strategy) {
    case "beam-search":
    case "dvts":
      return pick("beamWidth");
    case "lookahead":
      return pick("beamWidth", "lookahead");
    case "revisions":
      return pick("chainLength");
    default:
      return {};
  }
}

/** The budgets of a sampling strategy's records on one problem that are at most `full`'s. */
function budgetsUpTo(records: readonly EvalRecord[], full: EvalRecord): number[] {
  return [...new Set(records.filter((r) => r.strategy === full.strategy && r.seed === full.seed && r.budget <= full.budget).map((r) => r.budget))];
}

/** The calibration instance of a record: its problem under its seed. */
export function instanceId(r: Pick<EvalRecord, "problemId" | "seed">): string {
  return `${r.problemId}#${r.seed}`;
}

function largest(records: readonly EvalRecord[]): EvalRecord | undefined {
  return records.reduce<EvalRecord | undefined>((best, r) => (!best || r.candidates.length > best.candidates.length ? r : best), undefined);
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
