import type { LlamaGenerator } from "../../src/backends/llama/llama-generator.js";
import type { Candidate } from "../../src/core/candidate.js";
import { mapLimit } from "../../src/core/map-limit.js";
import type { Problem } from "../../src/core/problem.js";
import { CONFIDENCE_SIGNALS } from "../../src/core/token-confidence.js";
import { CONFIDENCE_MEASURES } from "../../src/core/trace-confidence.js";
import type { Verifier } from "../../src/core/verifier.js";
import { loadSynthetic } from "../../src/datasets/synthetic/load-synthetic.js";
import { totalUsage } from "../../src/core/usage.js";
import { formatTable } from "../../src/report/format-table.js";
import type { StrategyDeps } from "../../src/strategies/strategy.js";
import { SelfCertaintyVerifier } from "../../src/verifiers/self-certainty-verifier.js";
import { isRight, revote, topShare, type Outcome } from "./outcome.js";
import { key, printComparison } from "./strategies-part.js";
import { pooledAuroc, withinProblemAuroc } from "./stats.js";

/** Part 2: the policy's own confidence as a verifier, beside the shipped PRM. */
export async function runVerifierPart(args: {
  problems: readonly Problem[];
  budgets: readonly number[];
  deps: StrategyDeps;
  samples: readonly Candidate[][];
  prm: Verifier;
  selfCertainty: Verifier;
  concurrency: number;
  /** Problems per level of the AUROC set (bench/models.ts: 20). */
  perLevel: number;
}): Promise<Map<string, Outcome[]>> {
  const { problems, budgets, deps, samples, prm, selfCertainty, concurrency, perLevel } = args;
  const policy = deps.generator as LlamaGenerator;

  // (a) bench/models.ts's protocol: 20 problems per level 1–10 (seed 0), 4 samples each at temperature 0.8 (seed 1).
  const aurocProblems = loadSynthetic({ levels: "1-10", count: 10 * perLevel, seed: 0 });
  const drawn = await mapLimit(aurocProblems, concurrency, async (problem) => {
    const { continuations } = await policy.generate({ problem, until: "solution", n: 4, sampling: { temperature: 0.8, maxTokens: 256, seed: 1 } });
    return continuations.filter((c) => c.steps.length > 0).map((c) => ({ problem, steps: c.steps, correct: c.finishReason === "end" && isRight(problem, answerKeyOf(deps, c.steps)) }));
  });
  const scorers: [string, Verifier, "last" | "min"][] = [
    ["PRM, last step (bench/models.ts)", prm, "last"],
    ["PRM, minimum step", prm, "min"],
    ...CONFIDENCE_SIGNALS.flatMap((signal) =>
      CONFIDENCE_MEASURES.map((measure) => [`self-certainty ${signal}, ${measure}`, new SelfCertaintyVerifier({ policy, signal, measure, kind: "outcome" }), "last"] as [string, Verifier, "last"]),
    ),
  ];
  const rows: string[][] = [];
  for (const [name, verifier, read] of scorers) {
    const groups = await mapLimit(drawn, concurrency, async (items) => {
      const { stepScores } = await verifier.score(items.map((s) => ({ problem: s.problem, steps: s.steps })));
      return { scores: stepScores.map((s) => (read === "last" ? s.at(-1)! : Math.min(...s))), correct: items.map((s) => s.correct) };
    });
    const within = withinProblemAuroc(groups);
    rows.push([name, within.auroc.toFixed(3), pooledAuroc(groups.flatMap((g) => g.scores), groups.flatMap((g) => g.correct)).toFixed(3)]);
  }
  const items = drawn.flat();
  const pairs = withinProblemAuroc(drawn.map((g) => ({ scores: g.map(() => 0), correct: g.map((s) => s.correct) }))).pairs;
  console.log(
    `2. verifier: ${items.length} policy samples (temperature 0.8, 4 per problem, ${perLevel} problems per level 1–10, seed 0), ${items.filter((s) => s.correct).length} right; ` +
      `AUROC within problem over its ${pairs} (right, wrong) pairs, and pooled over all samples. The self-certainty default is ${selfCertainty.modelId} with likelihood, mean`,
  );
  console.log(formatTable(["score", "AUROC within problem", "AUROC pooled"], rows, "text"));
  console.log();

  // (b) Weighted votes on part 1's samples: the same solutions, selected by score instead of by count.
  const topK = new SelfCertaintyVerifier({ policy, signal: "top-k", measure: "lowest-group", kind: "outcome" });
  const scored = await mapLimit(problems, Math.max(1, Math.floor(concurrency / 2)), async (problem, p) => {
    const list = samples[p]!;
    const read = async (v: Verifier) => {
      const { stepScores, usage } = await v.score(list.map((c) => ({ problem, steps: c.steps })));
      return { scores: stepScores.map((s) => s.at(-1) ?? 0), flops: totalUsage(usage).flops };
    };
    const prmScored = await read(prm);
    return { prm: prmScored.scores, prmFlops: prmScored.flops, self: (await read(selfCertainty)).scores, topK: (await read(topK)).scores };
  });
  const outcomes = new Map<string, Outcome[]>();
  const add = (name: string, n: number, o: Outcome) => outcomes.set(key(name, n), [...(outcomes.get(key(name, n)) ?? []), o]);
  problems.forEach((problem, p) => {
    const list = samples[p]!;
    const s = scored[p]!;
    for (const n of budgets) {
      add("majority", n, revote(problem, list, n, "majority"));
      // The PRM scored all samples in one call: the first n cost their share of it.
      const prmVote = revote(problem, list, n, "weighted", (_, i) => s.prm[i]!);
      add("weighted best-of-N, PRM", n, { ...prmVote, flops: prmVote.flops + (s.prmFlops * n) / list.length });
      add("weighted best-of-N, self-certainty", n, revote(problem, list, n, "weighted", (_, i) => s.self[i]!));
      for (const share of [10, 50, 90]) {
        const kept = topShare(list.map((c, i) => ({ ...c, score: s.topK[i]! })), n, share);
        add(`deepconf-offline top-k η=${share}%`, n, revote(problem, list, n, "weighted", (_, i) => (kept.has(i) ? s.topK[i]! : 0)));
      }
    }
  });
  console.log(`2b. weighted votes over part 1's samples (the same solutions majority voted on; scoring compute not in the token column)`);
  printComparison(outcomes, budgets, ["majority", "weighted best-of-N, PRM", "weighted best-of-N, self-certainty", ...[10, 50, 90].map((s) => `deepconf-offline top-k η=${s}%`)]);
  return outcomes;
}

function answerKeyOf(deps: StrategyDeps, steps: readonly string[]): string | null {
  const answer = deps.answers.extract(steps.join(deps.generator.stepDelimiter));
  return answer === null ? null : deps.answers.canonical(answer);
}
