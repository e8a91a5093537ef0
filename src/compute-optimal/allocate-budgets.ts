import type { ComputeOptimalPolicy } from "./policy.js";

/**
 * Splits a shared generation budget across problems of known difficulty bins to maximise the
 * expected number solved, using the policy's calibrated accuracy per (bin, budget). Every problem
 * starts at the smallest budget (at least `floor`, e.g. the probe it already had); then the upgrade
 * with the best accuracy gained per extra generation is taken while the budget allows. Easy
 * questions stop where more compute adds nothing, and hopeless ones get little: the budget moves
 * to the questions where it helps. Returns one budget per problem, in order.
 */
export function allocateBudgets(policy: ComputeOptimalPolicy, bins: readonly number[], total: number, floor = 1): number[] {
  const levels = [...new Set(policy.choices.map((c) => c.budget))].filter((b) => b >= floor).sort((a, b) => a - b);
  if (levels[0] !== floor) levels.unshift(floor);
  const curve = (bin: number) => levels.map((budget) => expectedAccuracy(policy, bin, budget));
  const curves = bins.map(curve);
  const at = bins.map(() => 0);
  let spent = bins.length * floor;
  if (spent > total) return bins.map(() => floor);
  for (;;) {
    let best = -1;
    let bestGain = 0;
    let bestLevel = 0;
    for (let i = 0; i < bins.length; i++) {
      // Look past flat stretches: the best rate to any higher level, not just the next one.
      for (let j = at[i]! + 1; j < levels.length; j++) {
        const cost = levels[j]! - levels[at[i]!]!;
        if (spent + cost > total) break;
        const gain = (curves[i]![j]! - curves[i]![at[i]!]!) / cost;
        if (gain > bestGain + 1e-12) [best, bestGain, bestLevel] = [i, gain, j];
      }
    }
    if (best < 0) break;
    spent += levels[bestLevel]! - levels[at[best]!]!;
    at[best] = bestLevel;
  }
  return at.map((j) => levels[j]!);
}

/** The calibrated accuracy of a bin's choice at the largest calibrated budget ≤ `budget` (0 below all). */
export function expectedAccuracy(policy: ComputeOptimalPolicy, bin: number, budget: number): number {
  let best = 0;
  let at = 0;
  for (const c of policy.choices) if (c.bin === bin && c.budget <= budget && c.budget >= at) [best, at] = [c.accuracy, c.budget];
  return best;
}
