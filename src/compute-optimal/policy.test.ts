import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fitBudget } from "../strategies/auto.js";
import { PolicyFileError } from "./errors/policy-file-error.js";
import { binOf, choose, loadPolicy, parsePolicy, savePolicy, type ComputeOptimalPolicy } from "./policy.js";

export const examplePolicy: ComputeOptimalPolicy = {
  format: "ponder.compute-optimal-policy",
  version: 1,
  createdAt: "2026-11-25T00:00:00Z",
  models: { policy: "policy-small", verifier: "prm" },
  probe: { samples: 4 },
  bins: { count: 3, edges: [0.3, 0.7] },
  choices: [
    { bin: 1, budget: 4, strategy: "majority", options: {}, accuracy: 0.95, problems: 10 },
    { bin: 1, budget: 16, strategy: "weighted-best-of-n", options: { stopWhenDecided: 0.95 }, accuracy: 0.97, problems: 10 },
    { bin: 2, budget: 4, strategy: "weighted-best-of-n", options: {}, accuracy: 0.6, problems: 10 },
    { bin: 2, budget: 16, strategy: "beam-search", options: { beamWidth: 4 }, accuracy: 0.7, problems: 10 },
    { bin: 3, budget: 16, strategy: "revisions", options: { chainLength: 4 }, accuracy: 0.1, problems: 10 },
  ],
  calibration: { dataset: "synthetic", problems: 30, folds: 2, seed: 1, crossValidatedAccuracy: { "16": 0.55 } },
};

describe("compute-optimal policy", () => {
  it("bins a predicted score: high scores are easy (bin 1)", () => {
    assert.equal(binOf(examplePolicy, 0.9), 1);
    assert.equal(binOf(examplePolicy, 0.7), 1);
    assert.equal(binOf(examplePolicy, 0.5), 2);
    assert.equal(binOf(examplePolicy, 0.1), 3);
  });

  it("chooses the choice calibrated at the largest budget not above the one asked for", () => {
    assert.equal(choose(examplePolicy, 1, 8).strategy, "majority");
    assert.equal(choose(examplePolicy, 1, 64).strategy, "weighted-best-of-n");
    assert.equal(choose(examplePolicy, 2, 2).strategy, "weighted-best-of-n", "below every calibrated budget: the smallest");
    assert.equal(choose(examplePolicy, 3, 4).strategy, "revisions");
  });

  it("fits a choice's options to the budget left after the probe", () => {
    assert.deepEqual(fitBudget({ strategy: "beam-search", options: { beamWidth: 4 } }, 14), { budget: 12, options: { beamWidth: 4 } });
    assert.equal(fitBudget({ strategy: "beam-search", options: { beamWidth: 4 } }, 3), null);
    assert.deepEqual(fitBudget({ strategy: "lookahead", options: { beamWidth: 2, lookahead: 1 } }, 13), { budget: 12, options: { beamWidth: 2, lookahead: 1 } });
    assert.deepEqual(fitBudget({ strategy: "revisions", options: { chainLength: 8 } }, 6), { budget: 6, options: { chainLength: 6 } });
    assert.deepEqual(fitBudget({ strategy: "revisions", options: { chainLength: 4 } }, 14), { budget: 12, options: { chainLength: 4 } });
  });

  it("round-trips through a file and names the file and field of a bad one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ponder-policy-"));
    await savePolicy(join(dir, "p.json"), examplePolicy);
    assert.deepEqual(await loadPolicy(join(dir, "p.json")), examplePolicy);
    writeFileSync(join(dir, "bad.json"), JSON.stringify({ ...examplePolicy, probe: { samples: 0 } }));
    await assert.rejects(loadPolicy(join(dir, "bad.json")), (e: unknown) => e instanceof PolicyFileError && e.field === "probe.samples" && e.message.includes("bad.json"));
    writeFileSync(join(dir, "torn.json"), "{");
    await assert.rejects(loadPolicy(join(dir, "torn.json")), PolicyFileError);
    assert.throws(() => parsePolicy({ ...examplePolicy, bins: { count: 3, edges: [0.5] } }), (e: unknown) => e instanceof PolicyFileError && e.field === "bins.edges");
  });
});
