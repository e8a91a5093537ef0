/**
 * The test-time compute multiplier that matches a model M times larger, used greedily, in total
 * FLOPs (pretraining 6·N·D_pretrain plus inference 2·N·D_inference): M + 3·(M − 1)/R, where
 * R = D_inference / D_pretrain.
 * @example flopsMatchedMultiplier(14, 1) // 53
 */
export function flopsMatchedMultiplier(parameterRatio: number, r: number): number {
  if (!(parameterRatio >= 1)) throw new RangeError(`parameterRatio must be ≥ 1 (the larger model over the smaller), got ${parameterRatio}`);
  if (!(r > 0)) throw new RangeError(`R must be > 0, got ${r}`);
  return parameterRatio + (3 * (parameterRatio - 1)) / r;
}

/** Ratios of inference to pretraining tokens compared by default: from inference-light to inference-heavy deployments. */
export const DEFAULT_RATIOS = [0.1, 0.5, 1, 2, 10];

/** A (strategy, budget) outcome of the smaller model, on some set of problems. */
export interface SmallPoint {
  strategy: string;
  budget: number;
  accuracy: number;
  /** Mean FLOPs per problem, every model counted (policy and verifier). */
  flops: number;
}

export interface FlopsMatchedRow {
  r: number;
  /** Test-time compute allowed, as a multiple of one greedy solution of the smaller model. */
  multiplier: number;
  /** FLOPs per problem that buys. */
  flopsAllowed: number;
  /** The most accurate point of the smaller model within that allowance (chosen on the same problems, so optimistic), or null when none fits. */
  small: SmallPoint | null;
  /** True when even the largest budget run costs less than the allowance, so more test-time compute could have been bought. */
  allowanceUnused: boolean;
  largeAccuracy: number;
  /** `small` when the smaller model with test-time compute is at least as accurate. */
  winner: "small" | "large" | "none";
}

/**
 * For each R: which is more accurate at equal total FLOPs, the smaller model with the test-time
 * compute the formula allows, or the larger model answering greedily?
 */
export function flopsMatchedRows(
  { points, smallGreedyFlops, parameterRatio, largeAccuracy, ratios = DEFAULT_RATIOS }: {
    points: readonly SmallPoint[];
    /** Mean FLOPs of one greedy solution of the smaller model per problem. */
    smallGreedyFlops: number;
    parameterRatio: number;
    largeAccuracy: number;
    ratios?: readonly number[];
  },
): FlopsMatchedRow[] {
  const finite = points.filter((p) => Number.isFinite(p.accuracy) && Number.isFinite(p.flops));
  const maxFlops = Math.max(...finite.map((p) => p.flops));
  return ratios.map((r) => {
    const multiplier = flopsMatchedMultiplier(parameterRatio, r);
    const flopsAllowed = multiplier * smallGreedyFlops;
    let small: SmallPoint | null = null;
    for (const p of finite) if (p.flops <= flopsAllowed && (!small || p.accuracy > small.accuracy)) small = p;
    const winner = small === null || !Number.isFinite(largeAccuracy) ? "none" : small.accuracy >= largeAccuracy ? "small" : "large";
    return { r, multiplier, flopsAllowed, small, allowanceUnused: maxFlops < flopsAllowed, largeAccuracy, winner };
  });
}
