import { createRng, deriveSeed } from "../core/rng.js";

/** Points per sign regime. */
export const POINTS_PER_REGIME = 8;

/**
 * Where expressions are evaluated: `mixed` (either sign, magnitudes in [0.3, 2.3], where
 * powers and exponentials stay well inside floating point), `positive` (the same, for square
 * roots and logarithms), `integer` (integers in [-5, 40]: floor, factorials and binomials
 * change or exist only there) and `wide` (reals in [2.3, 60]: step functions that agree near 1
 * part ways further out, as ⌊n/2⌋ and ⌊√(n-1)⌋ do).
 */
export type Regime = "mixed" | "positive" | "integer" | "wide";

/** Seeded points at which to evaluate expressions in `vars`, regime after regime. */
export function* randomPoints(vars: readonly string[], seed: number, regimes: readonly Regime[] = ["mixed", "positive"]): Generator<{ env: Map<string, number>; regime: Regime }> {
  for (const regime of regimes) {
    const rng = createRng(deriveSeed(seed, regime, ...vars));
    for (let k = 0; k < POINTS_PER_REGIME; k++) {
      const env = new Map<string, number>();
      for (const v of vars) env.set(v, draw(regime, rng));
      yield { env, regime };
    }
  }
}

function draw(regime: Regime, rng: () => number): number {
  switch (regime) {
    case "integer":
      return Math.floor(rng() * 46) - 5;
    case "wide":
      return 2.3 + 57.7 * rng();
    case "positive":
      return 0.3 + 2 * rng();
    case "mixed": {
      const magnitude = 0.3 + 2 * rng();
      return rng() < 0.5 ? magnitude : -magnitude;
    }
  }
}
