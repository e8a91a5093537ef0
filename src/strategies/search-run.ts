import { aggregateStepScores, STEP_AGGREGATIONS } from "../aggregation/aggregate-step-scores.js";
import { vote, type VoteRule } from "../aggregation/vote.js";
import { BudgetTracker } from "../core/budget.js";
import type { Candidate } from "../core/candidate.js";
import { BudgetExhaustedError } from "../core/errors/budget-exhausted-error.js";
import { AbortedError, throwIfAborted } from "../core/errors/aborted-error.js";
import { ContextOverflowError } from "../core/errors/context-overflow-error.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import { LIMITS } from "../core/limits.js";
import { ComputeMeter } from "../core/compute-meter.js";
import type { Continuation, GenerationRequest } from "../core/generator.js";
import type { Problem } from "../core/problem.js";
import { currentRequestScope, inRequestScope, RequestScope } from "../core/request-scope.js";
import type { Usage } from "../core/usage.js";
import type { ScoreResult } from "../core/verifier.js";
import { SearchFailedError } from "./errors/search-failed-error.js";
import type { CommonOptions, SearchEvent, StrategyDeps, StrategyResult } from "./strategy.js";

type Resolved = Required<Omit<CommonOptions, "topP">> & { topP?: number };

/** Token limits of a whole solution and of one step when the options set none. */
export const DEFAULT_MAX_TOKENS = 512;
export const DEFAULT_MAX_STEP_TOKENS = 128;

/**
 * One strategy's run on one problem: every generator and verifier call goes through it, so the
 * budget is enforced before compute is spent, usage is metered, cancellation is honoured, and
 * what one candidate's text does to a model (a prefix that fills the context, a text the verifier
 * cannot read) ends that candidate instead of the search.
 */
export class SearchRun {
  readonly problem: Problem;
  readonly deps: StrategyDeps;
  readonly options: Resolved;
  readonly strategy: string;
  readonly budget: BudgetTracker;
  readonly #meter = new ComputeMeter();
  /** The request every call of this run belongs to: its processed-prefix ledger and per-request caches (the verifier's memo among them, so its usage does not depend on which runs scored the same text before). */
  readonly #scope = currentRequestScope() ?? new RequestScope();
  /** What the run recovered from, by kind, reported in the result's details. */
  readonly #notes = new Map<string, number>();

  constructor(strategy: string, problem: Problem, deps: StrategyDeps, options: CommonOptions) {
    this.strategy = strategy;
    this.problem = problem;
    this.deps = deps;
    this.options = resolveCommonOptions(options, strategy);
    this.budget = new BudgetTracker(options.budget);
  }

  /**
   * Samples continuations; the budget is charged `n` generations when the prefix is empty. When the
   * prompt leaves too little room in the policy's context, the continuations get what room is left
   * (and end at `length`); a revision prompt sees fewer earlier attempts; a prefix that fills the
   * context ends its candidate at `length`. Only a question that does not fit alone fails the search.
   */
  async generate(
    request: Omit<GenerationRequest, "problem" | "sampling"> & { sampling?: Partial<GenerationRequest["sampling"]>; seed: number; model?: "policy" | "reviser" },
  ): Promise<Continuation[]> {
    throwIfAborted(this.deps.signal);
    const n = request.n ?? 1;
    const maxTokens = request.sampling?.maxTokens ?? (request.until === "step" ? this.options.maxStepTokens : this.options.maxTokens);
    const fresh = (request.prefix?.length ?? 0) === 0;
    const release = this.budget.reserve(fresh ? n : 0, n * maxTokens);
    const { seed, sampling, model = "policy", ...rest } = request;
    const generator = model === "reviser" ? (this.deps.reviser ?? this.deps.generator) : this.deps.generator;
    let used = 0;
    try {
      let attempts = rest.attempts;
      let limit = maxTokens;
      for (;;) {
        const started = performance.now();
        try {
          const result = await inRequestScope(this.#scope, () =>
            generator.generate(
              {
                ...rest,
                ...(attempts ? { attempts } : {}),
                problem: this.problem,
                sampling: { temperature: this.options.temperature, topP: this.options.topP, ...sampling, maxTokens: limit, seed },
              },
              this.deps.signal,
            ),
          );
          used = result.continuations.reduce((sum, c) => sum + c.completionTokens, 0);
          this.#meter.record(result.usage, started, performance.now());
          return result.continuations;
        } catch (error) {
          if (!(error instanceof ContextOverflowError)) throw error;
          const room = error.contextSize - error.promptTokens;
          if (room > 0 && room < limit) {
            limit = room;
            this.#note("cutToContext");
          } else if (attempts !== undefined && attempts.length > 0) {
            attempts = attempts.slice(1);
            this.#note("attemptsDropped");
          } else if (!fresh) {
            this.#note("endedAtContext", n);
            return Array.from({ length: n }, () => ({ text: "", steps: [], finishReason: "length", completionTokens: 0 }));
          } else throw error;
        }
      }
    } catch (error) {
      throw this.fail(error, generator.modelId);
    } finally {
      release(used);
    }
  }

  /**
   * Refuses, before any compute, a token budget smaller than what the strategy's first call may
   * generate: such a budget would start nothing and return no answer.
   */
  requireTokens(firstCall: number): void {
    const cap = this.budget.budget.tokens;
    if (cap !== undefined && cap < firstCall) {
      throw new InvalidOptionError({
        field: "budget.tokens",
        value: cap,
        accepted: `at least ${firstCall}, the tokens the first call of ${this.strategy} may generate`,
        where: this.strategy,
      });
    }
  }

  /** How many of `n` whole solutions the token cap still allows (at least 1 when n ≥ 1, so a cap too small to start is refused by `generate`). */
  affordableSolutions(n: number): number {
    return Math.min(n, Math.max(1, Math.floor(this.budget.tokensLeft / this.options.maxTokens)));
  }

  /**
   * Scores candidates with the verifier and fills in their step scores and solution scores. A
   * candidate the verifier cannot read in full keeps the step scores it could read, gets no
   * solution score, and ends (a `step` candidate becomes `length`), with the reason in `unscored`.
   */
  async score(candidates: readonly Candidate[]): Promise<Candidate[]> {
    throwIfAborted(this.deps.signal);
    const verifier = this.requireVerifier();
    if (candidates.length === 0) return [];
    const started = performance.now();
    let result: ScoreResult;
    try {
      result = await inRequestScope(this.#scope, () =>
        verifier.score(
          candidates.map((c) => ({ problem: this.problem, steps: c.steps })),
          this.deps.signal,
        ),
      );
    } catch (error) {
      throw this.fail(error, verifier.modelId);
    }
    this.#meter.record(result.usage, started, performance.now());
    const unscored = new Map((result.unscored ?? []).map((u) => [u.index, u.reason]));
    return candidates.map((c, i) => {
      const stepScores = result.stepScores[i] ?? [];
      const reason = unscored.get(i);
      if (reason === undefined) return { ...c, stepScores, score: aggregateStepScores(stepScores, this.options.aggregation) };
      this.#note("unscored");
      const { score: _stale, ...rest } = c;
      return { ...rest, stepScores, unscored: reason, finishReason: c.finishReason === "step" ? "length" : c.finishReason };
    });
  }

  /**
   * The error a search stops with: cancellation and budget stops as they are; any other failure of
   * a model call as a SearchFailedError naming the strategy, the problem and the model, with the
   * usage spent so far (brought up to date when it is rethrown after concurrent calls settled).
   */
  fail(error: unknown, modelId?: string): unknown {
    if (error instanceof AbortedError || error instanceof BudgetExhaustedError || error instanceof InvalidOptionError) return error;
    if (this.deps.signal?.aborted) return new AbortedError({ cause: error });
    if (error instanceof SearchFailedError) return error.withUsage(this.usage());
    return new SearchFailedError({ strategy: this.strategy, problemId: this.problem.id, modelId: modelId ?? this.deps.generator.modelId, usage: this.usage(), cause: error });
  }

  requireVerifier() {
    if (!this.deps.verifier) {
      throw new InvalidOptionError({ field: "verifier", value: undefined, accepted: `a verifier: strategy "${this.strategy}" selects by score`, where: this.strategy });
    }
    return this.deps.verifier;
  }

  /** A candidate from steps, with its answer read and keyed. A continuation stopped early is abandoned mid-solution: it states no answer. */
  candidate(steps: readonly string[], finishReason: Continuation["finishReason"]): Candidate {
    if (finishReason === "stopped") return { steps: [...steps], finishReason: "step", answer: null, answerKey: null };
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

  #note(kind: string, count = 1): void {
    this.#notes.set(kind, (this.#notes.get(kind) ?? 0) + count);
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
      details: { ...details, ...Object.fromEntries(this.#notes) },
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
    maxTokens = DEFAULT_MAX_TOKENS,
    maxStepTokens = DEFAULT_MAX_STEP_TOKENS,
    maxSteps = 40,
    aggregation = "last",
  } = options;
  const bad = (field: string, value: unknown, accepted: string) => new InvalidOptionError({ field, value, accepted, where });
  if (!Number.isSafeInteger(seed)) throw bad("seed", seed, "an integer");
  if (!(temperature >= 0 && temperature <= LIMITS.temperature)) throw bad("temperature", temperature, `a number from 0 to ${LIMITS.temperature}`);
  if (topP !== undefined && !(topP > 0 && topP <= 1)) throw bad("topP", topP, "a number in (0, 1]");
  for (const [field, value, max] of [["maxTokens", maxTokens, LIMITS.tokensPerSolution], ["maxStepTokens", maxStepTokens, LIMITS.tokensPerSolution], ["maxSteps", maxSteps, LIMITS.steps]] as const) {
    if (!Number.isInteger(value) || value < 1 || value > max) throw bad(field, value, `an integer from 1 to ${max}`);
  }
  if (!STEP_AGGREGATIONS.includes(aggregation)) throw bad("aggregation", aggregation, STEP_AGGREGATIONS.join(", "));
  return { budget, seed, temperature, topP, maxTokens, maxStepTokens, maxSteps, aggregation };
}
