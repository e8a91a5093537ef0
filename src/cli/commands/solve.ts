import type { Command } from "commander";
import { STEP_AGGREGATIONS, type StepAggregation } from "../../aggregation/aggregate-step-scores.js";
import { GENERATOR_SPEC_HELP } from "../../backends/create-generator.js";
import { loadPolicy } from "../../compute-optimal/policy.js";
import type { Budget } from "../../core/budget.js";
import { ContextOverflowError } from "../../core/errors/context-overflow-error.js";
import { InvalidOptionError } from "../../core/errors/invalid-option-error.js";
import { LIMITS } from "../../core/limits.js";
import { CONFIDENCE_SIGNALS } from "../../core/token-confidence.js";
import { totalUsage } from "../../core/usage.js";
import type { AnswerReader } from "../../core/answer-reader.js";
import { syntheticAnswerReader } from "../../datasets/synthetic/synthetic-answer-reader.js";
import { answerReaderFor } from "../../grading/math-answer-reader.js";
import { compact, formatTable } from "../../report/format-table.js";
import { SearchFailedError } from "../../strategies/errors/search-failed-error.js";
import { firstCallTokens } from "../../strategies/first-call-tokens.js";
import { strategies, strategyByName, type AnyStrategyOptions } from "../../strategies/index.js";
import type { SearchEvent, StrategyResult } from "../../strategies/strategy.js";
import { problemFromQuestion } from "../../templates/templates.js";
import { VERIFIER_SPEC_HELP } from "../../verifiers/create-verifier.js";
import { abortOnInterrupt } from "./interrupt.js";
import { answerVotes, formatVotes, type AnswerVote } from "./answer-votes.js";
import { loadModels, type LoadedModels } from "./load-models.js";
import { parseChoice, parseInteger, parseNumber } from "./parse-flags.js";

interface SolveFlags {
  policy: string;
  verifier: string;
  reviser: string;
  strategy: string;
  budget: string;
  maxTotalTokens?: string;
  seed: string;
  temperature: string;
  maxTokens: string;
  maxStepTokens: string;
  maxSteps: string;
  aggregation: string;
  beamWidth?: string;
  lookahead?: string;
  chainLength?: string;
  wave?: string;
  stopWhenDecided?: string;
  keepPercent?: string;
  giveUpAfter?: string;
  confidenceSignal?: string;
  computePolicy?: string;
  answerFormat: string;
  threads?: string;
  json?: boolean;
}

/** `ponder solve`: one question, one strategy, one budget; prints the answer, every candidate and the compute used. */
export function registerSolve(program: Command): void {
  const names = Object.keys(strategies);
  program
    .command("solve")
    .summary("answer one question with a test-time compute strategy")
    .description(
      [
        "Answers <question> by running a strategy at a generation budget and prints the answer, every candidate with its scores, and the compute each model used (generations, tokens, FLOPs, wall time).",
        "With no model named, the shipped demo models run on the embedded engine: policy-small, the likelihood verifier (the revision model's probability of each step; the step-tag PRM is --verifier prm) and the revision model. They were trained on ponder's synthetic arithmetic word problems (see `ponder eval --dataset synthetic`), so ask them that kind of question.",
        `Strategies:\n${names.map((n) => `  ${n.padEnd(19)} ${strategies[n]!.summary}`).join("\n")}`,
        GENERATOR_SPEC_HELP,
        VERIFIER_SPEC_HELP,
      ].join("\n\n"),
    )
    .argument("<question>", "the question to answer")
    .option("--policy <spec>", "policy (generator) model: a demo name, a GGUF, hf:… or an http(s) endpoint", "policy-small")
    .option("--verifier <spec>", 'verifier for strategies that score, or "none"', "likelihood")
    .option("--reviser <spec>", "revision model, for --strategy revisions", "revision")
    .option("-s, --strategy <name>", `one of: ${names.join(", ")}`, "weighted-best-of-n")
    .option("-b, --budget <n>", `generation budget N: solutions begun from the question (1–${LIMITS.generations})`, "16")
    .option("--max-total-tokens <n>", `also cap the completion tokens generated in all (at most ${LIMITS.budgetTokens})`)
    .option("--seed <n>", `sampling seed, 0–${LIMITS.seed}: the same seed gives the same result`, "0")
    .option("--temperature <t>", `sampling temperature (0–${LIMITS.temperature})`, "0.8")
    .option("--max-tokens <n>", `token limit of one whole solution (1–${LIMITS.tokensPerSolution})`, "512")
    .option("--max-step-tokens <n>", `token limit of one step in step-wise search (1–${LIMITS.tokensPerSolution})`, "128")
    .option("--max-steps <n>", `rounds of step-wise search (1–${LIMITS.steps})`, "40")
    .option("--aggregation <how>", `step scores to a solution score: ${STEP_AGGREGATIONS.join(", ")}`, "last")
    .option("--beam-width <m>", `beam width M (beam-search, lookahead, dvts; default 4; at most the budget)`)
    .option("--lookahead <k>", `greedy rollout steps of lookahead search (default 2; at most ${LIMITS.steps})`)
    .option("--chain-length <s>", "sequential attempts per chain (revisions; a divisor of the budget)")
    .option("--wave <n>", "solutions drawn between two looks at the vote (esc: its window; adaptive-consistency, deepconf-online, majority and weighted-best-of-n stopping early: default 4; dvts: subtrees per wave, default 1; at most the budget)")
    .option("--stop-when-decided <p>", "stop once the vote is decided with confidence p, 0–1: adaptive-consistency (default 0.8), majority, weighted-best-of-n and dvts (off by default)")
    .option("--keep-percent <η>", "deepconf-offline: the most confident η% vote (default 50); deepconf-online: the threshold keeps η% of the warm-up (default 10); 0–100")
    .option("--give-up-after <n>", "deepconf-online: stop, too, once n traces are drawn and no answer has two votes (default max(6, ⌈N/4⌉); 0 never gives up)")
    .option("--confidence-signal <s>", `deepconf-*: what a token's confidence is: ${CONFIDENCE_SIGNALS.join(", ")} (default likelihood)`)
    .option("--compute-policy <file>", "policy JSON written by `ponder calibrate` (for --strategy auto)")
    .option("--answer-format <name>", "how final answers are read: math, gsm8k, synthetic", "math")
    .option("--threads <n>", `llama.cpp threads per embedded model, like llama.cpp's -t, 1–${LIMITS.concurrency} (default: chosen from the cores for all models together; lowered, with a warning, when it would oversubscribe them)`)
    .option("--json", "print one JSON object: answer, chosen, candidates, usage, budget, details")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        '  ponder solve "Ann has 12 apples. Ann buys 7 more. Ann gives away 5. Ann makes it 3 times as many. How many apples does Ann have now?"\n' +
        '  ponder solve --strategy beam-search --budget 16 --beam-width 4 "…"\n' +
        '  ponder solve --strategy majority --verifier none --budget 8 --json "…"\n' +
        '  ponder solve --policy "http://localhost:8000/v1?model=Qwen/Qwen2.5-1.5B-Instruct&template=chatml" \\\n' +
        '      --verifier "prm-http:http://localhost:8001/v1?model=peiyi9979/math-shepherd-mistral-7b-prm&format=math-shepherd" "…"',
    )
    .action(async (question: string, flags: SolveFlags) => {
      const result = await solveCommand(question, flags);
      process.stdout.write(flags.json ? `${JSON.stringify(result)}\n` : formatSolve(result));
    });
}

/** What `ponder solve --json` prints. */
export interface SolveOutput extends StrategyResult {
  question: string;
  /** The chosen candidate's solution text, steps joined by newlines. */
  solution: string | null;
  /** Per distinct answer: its candidates, summed and best score, and whether it won. */
  votes: AnswerVote[];
}

async function solveCommand(question: string, flags: SolveFlags): Promise<SolveOutput> {
  if (question.trim() === "") throw new InvalidOptionError({ field: "question", value: question, accepted: "a non-empty question" });
  const entry = strategyByName(flags.strategy);
  const budget: Budget = { generations: parseInteger("--budget", flags.budget, 1, LIMITS.generations) };
  if (flags.maxTotalTokens !== undefined) budget.tokens = parseInteger("--max-total-tokens", flags.maxTotalTokens, 1, LIMITS.budgetTokens);
  const options: AnyStrategyOptions = {
    budget,
    seed: parseInteger("--seed", flags.seed, 0, LIMITS.seed),
    temperature: parseNumber("--temperature", flags.temperature, 0, LIMITS.temperature),
    maxTokens: parseInteger("--max-tokens", flags.maxTokens, 1, LIMITS.tokensPerSolution),
    maxStepTokens: parseInteger("--max-step-tokens", flags.maxStepTokens, 1, LIMITS.tokensPerSolution),
    maxSteps: parseInteger("--max-steps", flags.maxSteps, 1, LIMITS.steps),
    aggregation: parseChoice("--aggregation", flags.aggregation, STEP_AGGREGATIONS) as StepAggregation,
  };
  if (flags.beamWidth !== undefined) options.beamWidth = parseInteger("--beam-width", flags.beamWidth, 1, budget.generations);
  if (flags.lookahead !== undefined) options.lookahead = parseInteger("--lookahead", flags.lookahead, 0, LIMITS.steps);
  if (flags.chainLength !== undefined) options.chainLength = parseInteger("--chain-length", flags.chainLength, 1, budget.generations);
  if (flags.wave !== undefined) options.wave = parseInteger("--wave", flags.wave, 1, budget.generations);
  if (flags.stopWhenDecided !== undefined) options.stopWhenDecided = parseNumber("--stop-when-decided", flags.stopWhenDecided, 0, 1);
  if (flags.keepPercent !== undefined) options.keepPercent = parseNumber("--keep-percent", flags.keepPercent, 0, 100);
  if (flags.giveUpAfter !== undefined) options.giveUpAfter = parseInteger("--give-up-after", flags.giveUpAfter, 0, budget.generations);
  if (flags.confidenceSignal !== undefined) options.confidenceSignal = parseChoice("--confidence-signal", flags.confidenceSignal, CONFIDENCE_SIGNALS);
  const firstCall = firstCallTokens(flags.strategy, options);
  if (budget.tokens !== undefined && budget.tokens < firstCall) {
    throw new InvalidOptionError({ field: "--max-total-tokens", value: flags.maxTotalTokens, accepted: `at least ${firstCall}, the tokens the first round of ${flags.strategy} may generate at these settings` });
  }
  if (flags.strategy === "auto") {
    if (!flags.computePolicy) throw new InvalidOptionError({ field: "--compute-policy", value: undefined, accepted: "the policy JSON `ponder calibrate` wrote (required by --strategy auto)" });
    options.policy = await loadPolicy(flags.computePolicy);
  }
  const useVerifier = flags.verifier !== "none";
  if (entry.needsVerifier && !useVerifier) {
    throw new InvalidOptionError({ field: "--verifier", value: "none", accepted: `a verifier: --strategy ${flags.strategy} scores candidates (majority and revisions run without one)` });
  }
  const format = parseChoice("--answer-format", flags.answerFormat, ["math", "gsm8k", "synthetic"]);
  const answers: AnswerReader = format === "synthetic" ? syntheticAnswerReader : answerReaderFor(format);
  const threads = flags.threads === undefined ? undefined : parseInteger("--threads", flags.threads, 1, LIMITS.concurrency);

  const controller = new AbortController();
  const stopListening = abortOnInterrupt(controller, "solve");
  let models: LoadedModels | undefined;
  try {
    const needsReviser = flags.strategy === "revisions" || flags.strategy === "auto";
    models = await loadModels(
      { policy: flags.policy, verifier: useVerifier ? flags.verifier : null, reviser: needsReviser ? flags.reviser : null },
      { threads, answers, signal: controller.signal },
    );
    const progress = !flags.json && process.stderr.isTTY ? printProgress : undefined;
    const { dispose: _dispose, ...deps } = models;
    const result = await entry
      .run(problemFromQuestion(question), { ...deps, answers, signal: controller.signal, ...(progress ? { onEvent: progress } : {}) }, options)
      .catch((error: unknown) => {
        throw questionTooLong(error) ?? error;
      });
    if (progress) process.stderr.write("\r\x1b[K");
    return { question, ...result, solution: result.chosen ? result.chosen.steps.join("\n") : null, votes: answerVotes(result) };
  } finally {
    stopListening();
    await models?.dispose();
  }
}

/** A search that failed because the question alone does not fit the policy's context, as the bad input it is. */
function questionTooLong(error: unknown): InvalidOptionError | null {
  const cause = error instanceof SearchFailedError ? error.cause : null;
  if (!(cause instanceof ContextOverflowError)) return null;
  const model = cause.modelId ?? "the policy";
  return new InvalidOptionError({
    field: "question",
    value: `${cause.promptTokens} tokens with its prompt`,
    accepted: `a question that fits ${model}'s context of ${cause.contextSize} tokens (or a larger context: the --policy spec option context=N)`,
  });
}

function printProgress(event: SearchEvent): void {
  const t = totalUsage(event.usage);
  const what = event.type === "round" ? `round ${event.round}: ${event.active} active, ${event.finished} finished` : `${event.count} candidates`;
  process.stderr.write(`\r\x1b[K${event.strategy} ${what} · ${t.generations} generations, ${t.completionTokens} tokens`);
}

/** The human-readable form: answer, chosen solution, candidates by score, usage per model. */
export function formatSolve(result: SolveOutput): string {
  const out: string[] = [];
  out.push(`Answer: ${result.answer ?? "(none of the candidates states an answer)"}`, "");
  if (result.votes.length > 0) out.push(`Votes (${result.strategy}):`, formatVotes(result.votes, result.candidates.some((c) => c.score !== undefined)), "");
  if (result.solution !== null) out.push("Chosen solution:", ...result.solution.split("\n").map((l) => `  ${l}`), "");
  const ranked = [...result.candidates].sort((a, b) => (b.score ?? -Infinity) - (a.score ?? -Infinity));
  out.push(
    `Candidates (${result.candidates.length}, best first):`,
    formatTable(
      ["answer", "score", "steps", "finish"],
      ranked.map((c) => [c.answer ?? "—", c.score === undefined ? "—" : c.score.toFixed(3), String(c.steps.length), c.finishReason]),
      "text",
    ),
    "",
  );
  out.push(
    `Compute (${result.strategy}, budget ${result.budget.generations} generations${result.budget.tokens ? `, ${result.budget.tokens} tokens` : ""}; ${result.stoppedBy === "budget" ? "stopped by the budget" : "complete"}):`,
    formatTable(
      ["model", "generations", "calls", "prompt tok", "cached tok", "completion tok", "FLOPs", "wall"],
      Object.entries(result.usage).map(([model, u]) => [
        model,
        String(u.generations),
        String(u.calls),
        String(u.promptTokens),
        String(u.cachedPromptTokens),
        String(u.completionTokens),
        compact(u.flops),
        `${(u.wallMs / 1000).toFixed(2)} s`,
      ]),
      "text",
    ),
    "",
  );
  return out.join("\n");
}
