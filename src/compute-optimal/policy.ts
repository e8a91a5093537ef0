import { readFile, writeFile } from "node:fs/promises";
import { z } from "zod";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import { PolicyFileError } from "./errors/policy-file-error.js";

/** What `ponder calibrate` chose for one (difficulty bin, budget). */
export interface PolicyChoice {
  /** 1 = easiest (highest predicted score) … bins.count = hardest. */
  bin: number;
  /** Total generation budget, the difficulty probe included. */
  budget: number;
  /** Strategy name from the strategies table. */
  strategy: string;
  /** Its hyperparameters (beamWidth, lookahead, chainLength, stopWhenDecided, …). */
  options: Record<string, number | string | boolean>;
  /** For searches: the budget the search itself runs at, after the probe (default: what the probe leaves, fitted to the options). */
  runBudget?: number;
  /** Accuracy of this choice on the calibration problems of the bin (all folds). */
  accuracy: number;
  /** Calibration problems in the bin. */
  problems: number;
}

/** A compute-optimal policy: predict difficulty without ground truth, then run what calibration found best. */
export interface ComputeOptimalPolicy {
  format: "ponder.compute-optimal-policy";
  version: 1;
  createdAt: string;
  /** The models it was calibrated for; applying it to others is allowed but warned about. */
  models: { policy: string; verifier: string; reviser?: string };
  /** The difficulty probe: this many whole solutions, scored; their mean score predicts difficulty. They count in the budget and are reused. */
  probe: { samples: number };
  /** Predicted-score cut points, ascending; a score ≥ edges[count-2] is bin 1, below edges[0] is bin `count`. */
  bins: { count: number; edges: number[] };
  choices: PolicyChoice[];
  /** How the policy was chosen and how well it held up on held-out folds. */
  calibration: { dataset: string; problems: number; folds: number; seed: number; crossValidatedAccuracy: Record<string, number>; notes?: string };
}

const scalar = z.union([z.number(), z.string(), z.boolean()]);
const schema = z.object({
  format: z.literal("ponder.compute-optimal-policy"),
  version: z.literal(1),
  createdAt: z.string(),
  models: z.object({ policy: z.string(), verifier: z.string(), reviser: z.string().optional() }),
  probe: z.object({ samples: z.number().int().min(1) }),
  bins: z.object({ count: z.number().int().min(1), edges: z.array(z.number()) }),
  choices: z
    .array(
      z.object({
        bin: z.number().int().min(1),
        budget: z.number().int().min(1),
        strategy: z.string(),
        options: z.record(z.string(), scalar),
        runBudget: z.number().int().min(1).optional(),
        accuracy: z.number(),
        problems: z.number().int().min(0),
      }),
    )
    .min(1),
  calibration: z.object({
    dataset: z.string(),
    problems: z.number().int(),
    folds: z.number().int(),
    seed: z.number().int(),
    crossValidatedAccuracy: z.record(z.string(), z.number()),
    notes: z.string().optional(),
  }),
});

/** Checks a parsed policy; throws PolicyFileError naming the file and the bad field. */
export function parsePolicy(data: unknown, file = "<policy>"): ComputeOptimalPolicy {
  const result = schema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new PolicyFileError({ file, field: issue.path.join(".") || "(root)", problem: issue.message });
  }
  const policy = result.data as ComputeOptimalPolicy;
  if (policy.bins.edges.length !== policy.bins.count - 1) {
    throw new PolicyFileError({ file, field: "bins.edges", problem: `expected ${policy.bins.count - 1} cut points for ${policy.bins.count} bins` });
  }
  return policy;
}

export async function loadPolicy(path: string): Promise<ComputeOptimalPolicy> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    throw new PolicyFileError({ file: path, field: "(file)", problem: `cannot read it (${(cause as Error).message})` });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new PolicyFileError({ file: path, field: "(json)", problem: (cause as Error).message });
  }
  return parsePolicy(data, path);
}

export async function savePolicy(path: string, policy: ComputeOptimalPolicy): Promise<void> {
  await writeFile(path, `${JSON.stringify(parsePolicy(policy), null, 2)}\n`);
}

/** The difficulty bin of a predicted score (1 easiest). */
export function binOf(policy: ComputeOptimalPolicy, predictedScore: number): number {
  return binOfScore(policy.bins.edges, predictedScore);
}

/** Bin of a score given ascending cut points: 1 for the highest scores (easiest), `edges.length + 1` for the lowest. */
export function binOfScore(edges: readonly number[], score: number): number {
  return edges.length + 1 - edges.filter((e) => score >= e).length;
}

/**
 * The choice for a bin at a budget: the one calibrated at the largest budget not above it
 * (so a budget between calibrated ones never overspends), or at the smallest budget when
 * the budget is below every calibrated one.
 */
export function choose(policy: ComputeOptimalPolicy, bin: number, budget: number): PolicyChoice {
  if (!Number.isInteger(budget) || budget < 1) throw new InvalidOptionError({ field: "budget.generations", value: budget, accepted: "an integer ≥ 1" });
  const inBin = policy.choices.filter((c) => c.bin === bin).sort((a, b) => a.budget - b.budget);
  const pool = inBin.length > 0 ? inBin : [...policy.choices].sort((a, b) => a.budget - b.budget);
  let pick = pool[0]!;
  for (const c of pool) if (c.budget <= budget) pick = c;
  return pick;
}
