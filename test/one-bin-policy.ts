import type { ComputeOptimalPolicy, PolicyChoice } from "../src/compute-optimal/policy.js";

/** A hand-made compute-optimal policy with one difficulty bin, so `auto`'s choice does not depend on the probe's scores. */
export function oneBinPolicy(choices: PolicyChoice[], models: ComputeOptimalPolicy["models"]): ComputeOptimalPolicy {
  return {
    format: "ponder.compute-optimal-policy",
    version: 1,
    createdAt: "2026-11-25T00:00:00Z",
    models,
    probe: { samples: 4 },
    bins: { count: 1, edges: [] },
    choices,
    calibration: { dataset: "hand-made", problems: 1, folds: 2, seed: 0, crossValidatedAccuracy: {} },
  };
}
