import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EvalRecord, RecordedCandidate } from "../eval/eval-record.js";
import { buildCalibrationTable, earlyStop, winnerCorrect } from "./calibration-table.js";
import { choosePolicy, quantileEdges, toPolicy } from "./choose-policy.js";
import { binOfScore, parsePolicy } from "./policy.js";
import { versusBestOfN } from "./versus-best-of-n.js";

const cand = (answer: string, score: number, correct: boolean): RecordedCandidate => ({ text: `The answer is ${answer}`, finishReason: "end", answer, answerKey: answer, score, correct });

function record(problemId: string, strategy: string, budget: number, candidates: RecordedCandidate[], extra: Partial<EvalRecord> = {}): EvalRecord {
  const pick = strategy === "majority" ? "majority" : "weighted";
  return {
    problemId,
    strategy,
    budget,
    seed: 0,
    answer: null,
    answerKey: null,
    gold: "1",
    correct: winnerCorrect(candidates, pick),
    candidates,
    usage: { m: { generations: candidates.length, calls: candidates.length, promptTokens: 0, cachedPromptTokens: 0, completionTokens: 10 * candidates.length, flops: 100 * candidates.length, wallMs: 0 } },
    stoppedBy: "complete",
    subsampled: false,
    details: {},
    ...extra,
  };
}

/** Easy problems: every sample right with high scores. Hard ones: samples split, only a search finds the answer. */
function records(): EvalRecord[] {
  const out: EvalRecord[] = [];
  for (let i = 0; i < 8; i++) {
    const easy = Array.from({ length: 8 }, () => cand("1", 0.9, true));
    out.push(record(`easy${i}`, "weighted-best-of-n", 8, easy), record(`easy${i}`, "weighted-best-of-n", 4, easy.slice(0, 4), { subsampled: true }));
    out.push(record(`easy${i}`, "beam-search", 4, [cand("1", 0.9, true)], { details: { beamWidth: 2 } }));
    const hard = Array.from({ length: 8 }, (_, j) => cand(String(j + 2), 0.2, false));
    out.push(record(`hard${i}`, "weighted-best-of-n", 8, hard), record(`hard${i}`, "weighted-best-of-n", 4, hard.slice(0, 4), { subsampled: true }));
    out.push(record(`hard${i}`, "beam-search", 4, [cand("1", 0.95, true), cand("1", 0.9, true)], { details: { beamWidth: 2 } }));
  }
  return out;
}

describe("calibration table", () => {
  const table = buildCalibrationTable(records(), { probeSamples: 4 });

  it("predicts difficulty from the probe: the mean score of the first samples", () => {
    const byId = new Map(table.problems.map((p) => [p.id, p.predictedScore]));
    assert.ok(Math.abs(byId.get("easy0#0")! - 0.9) < 1e-12);
    assert.ok(Math.abs(byId.get("hard0#0")! - 0.2) < 1e-12);
  });

  it("gives searches the probe's budget on top, and merges the probe into their vote", () => {
    const beam = table.configs.find((c) => c.strategy === "beam-search")!;
    assert.equal(beam.budget, 8);
    assert.equal(beam.runBudget, 4);
    assert.deepEqual(beam.options, { beamWidth: 2 });
    assert.equal(beam.outcomes.get("hard0#0")!.correct, true);
    assert.equal(beam.outcomes.get("hard0#0")!.generations, 2 + 4);
  });

  it("replays early stopping on the recorded samples", () => {
    const early = table.configs.find((c) => c.key === "weighted-best-of-n:stopWhenDecided=0.95@8")!;
    assert.equal(early.outcomes.get("easy0#0")!.generations, 4, "unanimous confident samples stop after one wave");
    assert.equal(early.outcomes.get("hard0#0")!.generations, 8, "a split vote never settles");
    assert.equal(earlyStop(Array.from({ length: 8 }, () => cand("1", 0.9, true)), "weighted", 8, 0.95, 4), 4);
  });

  it("counts the probe inside an early-stopping vote that draws majority's samples, and on top of DeepConf's own traces", () => {
    const extra = records().filter((r) => r.problemId === "easy0" || r.problemId === "hard0");
    const stopped = [cand("1", 0.5, true), cand("1", 0.5, true), cand("1", 0.5, true), cand("1", 0.5, true), cand("1", 0.5, true)];
    for (const id of ["easy0", "hard0"]) extra.push(record(id, "esc", 8, stopped), record(id, "deepconf-online", 8, stopped.slice(0, 3)));
    const withEarly = buildCalibrationTable(extra, { probeSamples: 4 });
    const escConfig = withEarly.configs.find((c) => c.strategy === "esc")!;
    assert.equal(escConfig.budget, 8, "esc takes the probe as its first samples: no extra budget");
    assert.equal(escConfig.outcomes.get("hard0#0")!.generations, 5);
    const online = withEarly.configs.find((c) => c.strategy === "deepconf-online")!;
    assert.equal(online.budget, 12, "deepconf-online draws its own traces: the probe's 4 come on top");
    assert.equal(online.outcomes.get("hard0#0")!.generations, 3 + 4);
  });
});

describe("choosePolicy", () => {
  const table = buildCalibrationTable(records(), { probeSamples: 4 });
  const chosen = choosePolicy(table, { bins: 2, folds: 2, seed: 3 });

  it("chooses per bin: the cheapest perfect choice for easy questions, the search for hard ones", () => {
    const easy = chosen.choices.find((c) => c.bin === 1 && c.budget === 8)!;
    const hard = chosen.choices.find((c) => c.bin === 2 && c.budget === 8)!;
    assert.equal(easy.accuracy, 1);
    assert.ok(easy.strategy === "weighted-best-of-n", `${easy.strategy} ${JSON.stringify(easy.options)}`);
    assert.equal(hard.strategy, "beam-search");
    assert.equal(hard.runBudget, 4);
    assert.equal(hard.accuracy, 1);
  });

  it("cross-validates: held-out accuracy at the largest budget is perfect on this separable data", () => {
    const at8 = chosen.crossValidated.find((c) => c.budget === 8)!;
    assert.equal(at8.accuracy, 1);
    assert.ok(at8.generations < 8, "easy questions stop early");
  });

  it("writes a policy that parses", () => {
    const policy = toPolicy(chosen, { models: { policy: "p", verifier: "v" }, probeSamples: 4, dataset: "test", problems: 16, folds: 2, seed: 3 });
    assert.equal(parsePolicy(policy).bins.count, 2);
  });

  it("cuts scores into equal-count bins, easiest first", () => {
    const edges = quantileEdges([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0], 5);
    assert.deepEqual(edges, [0.3, 0.5, 0.7, 0.9]);
    assert.equal(binOfScore(edges, 0.95), 1);
    assert.equal(binOfScore(edges, 0.1), 5);
  });
});

describe("compute-optimal against weighted best-of-N", () => {
  const table = buildCalibrationTable(records(), { probeSamples: 4 });

  it("finds the cheapest budget that reaches weighted best-of-N's accuracy, on either axis", () => {
    for (const axis of ["generations", "processedFlops"] as const) {
      const chosen = choosePolicy(table, { bins: 2, folds: 2, seed: 3, axis });
      const v = versusBestOfN(table, chosen.crossValidated, axis)!;
      // Weighted best-of-8 solves only the easy half; the per-bin choice solves the hard half too.
      assert.deepEqual([v.reference.budget, v.reference.accuracy], [8, 0.5]);
      assert.ok(v.match !== null && v.match.accuracy >= 0.5, `${axis}: ${JSON.stringify(v.match)}`);
      assert.ok(v.fewer!.generations >= 1 && v.fewer!.flops >= 1, JSON.stringify(v.fewer));
    }
  });
});
