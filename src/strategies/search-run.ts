import { aggregateStepScores, STEP_AGGREGATIONS } from "../aggregation/aggregate-step-scores.js";
import { vote, type VoteRule } from "../aggregation/vote.js";
import { BudgetTracker } from "../core/budget.js";
import type { Candidate } from "../core/candidate.js";
import { BudgetExhaustedError } from "../core/errors/budget-exhausted-error.js";
import { throwIfAborted } from "../core/errors/aborted-error.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import { ComputeMeter } from "../core/compute-meter.js";
import type { Continuation, GenerationRequest } from "../core/generator.js";
import type { Problem } from "../core/problem.js";
import { currentRequestScope, inRequestScope, RequestScope } from "../core/request-scope.js";
import type { Usage } from "../core/usage.js";
import type { CommonOptions, SearchEvent, StrategyDeps, StrategyResult } from "./strategy.js";

type Resolved = Required<Omit<CommonOptions, "topP">> & { topP?: number };

/**
 * One strategy's run on one problem: every generator and verifier call goes through it, so the
 * budget is enforced before compute is spent, usage is metered, and cancellation is honoured.
 */
export class SearchRun {
  readonly problem: Problem;
  readonly deps: StrategyDeps;
  readonly options: Resolved;
  readonly strategy: string;
  readonly budget: BudgetTracker;
  readonly #meter = new ComputeMeter();
  /** The request every call of this run belongs to: its processed-prefix ledger and per-request caches. */
  readonly #scope = currentRequestScope() ?? new RequestScope();

  constructor(strategy: string, problem: Problem, deps: StrategyDeps, options: CommonOptions) {
    this.strategy = strategy;
    this.problem = problem;
    this.deps = deps;
    this.options = resolveCommonOptions(options, strategy);
    this.budget = new BudgetTracker(options.budget);
  }

  /** Samples continuations; the budget is charged `n` generations when the prefix is empty. */
  async generate(
    request: Omit<GenerationRequest, "problem" | "sampling"> & { sampling?: Partial<GenerationRequest["sampling"]>; seed: number; model?: "policy" | "reviser" },
  ): Promise<Continuation[]> {
    throwIfAborted(this.deps.signal);
    const n = request.n ?? 1;
    const maxTokens = request.sampling?.maxTokens ?? (request.until === "step" ? this.options.maxStepTokens : this.options.maxTokens);
    const fresh = (request.prefix?.length ?? 0) === 0;
    const release = this.budget.reserve(fresh ? n : 0, n * maxTokens);
    const started = performance.now();
    let used = 0;
    try {
      const { seed, sampling, model = "policy", ...rest } = request;
      const generator = model === "reviser" ? (this.deps.reviser ?? this.deps.generator) : this.deps.generator;
      const result = await inRequestScope(this.#scope, () =>
        generator.generate(
          {
            ...rest,
            problem: this.problem,
            sampling: { temperature: this.options.temperature, topP: this.options.topP, maxTokens, ...sampling, seed },
          },
          this.deps.signal,
        ),
      );
      used = result.continuations.reduce((sum, c) => sum + c.completionTokens, 0);
      this.#meter.record(result.usage, started, performance.now());
      return result.continuations;
    } finally {
      release(used);
    }
  }

  /** How many of `n` whole solutions the token cap still allows (at least 1 when n ≥ 1, so a cap too small to start is refused by `generate`). */
  affordableSolutions(n: number): number {
    return Math.min(n, Math.max(1, Math.floor(this.budget.tokensLeft / this.options.maxTokens)));
  }

  /** Scores candidates with the verifier and fills in their step scores and solution scores. */
  async score(candidates: readonly Candidate[]): Promise<Candidate[]> {
    throwIfAborted(this.deps.signal);
    const verifier = this.requireVerifier();
    if (candidates.length === 0) return [];
    const started = performance.now();
    const result = await inRequestScope(this.#scope, () =>
      verifier.score(
        candidates.map((c) => ({ problem: this.problem, steps: c.steps })),
        this.deps.signal,
      ),
    );
    this.#meter.record(result.usage, started, performance.now());
    return candidates.map((c, i) => {
      const stepScores = result.stepScores[i] ?? [];
      return { ...c, stepScores, score: aggregateStepScores(stepScores, this.options.aggregation) };
    });
  }

  requireVerifier() {
    if (!this.deps.verifier) {
      throw new InvalidOptionError({ field: "verifier", value: undefined, accepted: `a verifier: strategy "${this.strategy}" selects by score`, where: this.strategy });
    }
    return this.deps.verifier;
  }

  /** A candidate from steps, with its answer read and keyed. */
  candidate(steps: readonly string[], finishReason: Candidate["finishReason"]): Candidate {
    const answer = this.deps.answers.extract(steps.join(this.deps.generator.stepDelimiter));
    return { steps: [...steps], finishReason, answer, answerKey: answer === null ? null : this.deps.answers.canonical(answer) };
  }

  /** A whole sampled solution as a candidate, carrying its own usage when the backend reported it. */
  solution(continuation: Continuation): Candidate {
    const c = this.candidate(continuation.steps, continuation.finishReason);
    return continuation.usage ? { ...c, usage: continuation.usage } : c;
  }

  usage(): Usage {
    return this.#meter.snapshot();
  }

  emit(event: Omit<Extract<SearchEvent, { type: "round" }>, "strategy" | "usage">): void {
    this.deps.onEvent?.({ ...event, strategy: this.strategy, usage: this.usage() } as SearchEvent);
  }

  /** The result of selecting among `candidates` by `rule`, or of a choice the strategy made itself (an index, or null for none). */
  finish(candidates: Candidate[], rule: VoteRule | number | null, stoppedBy: StrategyResult["stoppedBy"], details: StrategyResult["details"] = {}): StrategyResult {
    const index = typeof rule === "string" ? vote(candidates, rule) : rule;
    const chosen = index === null ? null : candidates[index]!;
    return {
      strategy: this.strategy,
      answer: chosen?.answer ?? null,
      answerKey: chosen?.answerKey ?? null,
      chosen,
      candidates,
      usage: this.usage(),
      budget: this.budget.budget,
      stoppedBy,
      details,
    };
  }
}

/** True for the error a strategy turns into a graceful stop with what it has. */
export function isBudgetStop(error: unknown): error is BudgetExhaustedError {
  return error instanceof BudgetExhaustedError;
}

function resolveCommonOptions(options: CommonOptions, where: string): Resolved {
  const {
    budget,
    seed,
    temperature = 0.8,
    topP,
    maxTokens = 512,
    maxStepTokens = 128,
    maxSteps = 40,
    aggregation = "last",
  } = options;
  const bad = (field: string, value: unknown, accepted: string) => new InvalidOptionError({ field, value, accepted, where });
  if (!Number.isInteger(seed)) throw bad("seed", seed, "an integer");
  if (!(temperature >= 0)) throw bad("temperature", temperature, "a number ≥ 0");
  if (topP !== undefined && !(topP > 0 && topP <= 1)) throw bad("topP", topP, "a number in (0, 1]");
  for (const [field, value] of [["maxTokens", maxTokens], ["maxStepTokens", maxStepTokens], ["maxSteps", maxSteps]] as const) {
    if (!Number.isInteger(value) || value < 1) throw bad(field, value, "an integer ≥ 1");
  }
  if (!STEP_AGGREGATIONS.includes(aggregation)) throw bad("aggregation", aggregation, STEP_AGGREGATIONS.join(", "));
  return { budget, seed, temperature, topP, maxTokens, maxStepTokens, maxSteps, aggregation };
}
