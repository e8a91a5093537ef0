import { createRng, deriveSeed } from "../core/rng.js";

/** Points per sign regime. */
export const POINTS_PER_REGIME = 8;

/**
 * Seeded points at which to evaluate expressions in `vars`: first values of either sign, then
 * positive ones only (square roots and logarithms are undefined below zero). Magnitudes lie in
 * [0.3, 2.3] so powers and exponentials stay well inside floating-point range.
 */
export function* randomPoints(vars: readonly string[], seed: number): Generator<{ env: Map<string, number>; regime: "mixed" | "positive" }> {
  const rng = createRng(deriveSeed(seed, ...vars));
  for (const regime of ["mixed", "positive"] as const) {
    for (let k = 0; k < POINTS_PER_REGIME; k++) {
      const env = new Map<string, number>();
      for (const v of vars) {
        const magnitude = 0.3 + 2 * rng();
        env.set(v, regime === "positive" || rng() < 0.5 ? magnitude : -magnitude);
      }
      yield { env, regime };
    }
  }
}
