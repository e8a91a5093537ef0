import type { LanguageModelV3CallOptions, LanguageModelV3GenerateResult, LanguageModelV3Middleware, LanguageModelV3StreamPart, SharedV3ProviderMetadata } from "@ai-sdk/provider";
import { tallyAnswers } from "../aggregation/vote.js";
import type { AnswerReader } from "../core/answer-reader.js";
import { validateBudget, type Budget } from "../core/budget.js";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import type { Verifier } from "../core/verifier.js";
import { mathAnswerReader } from "../grading/math-answer-reader.js";
import { strategyByName, type AnyStrategyOptions } from "../strategies/index.js";
import type { SearchEvent, StrategyResult } from "../strategies/strategy.js";
import { LanguageModelGenerator } from "./language-model-generator.js";
import { promptQuestion } from "./prompt-question.js";
import { usageJson } from "./sdk-usage.js";

export interface PonderMiddlewareOptions {
  /** A strategy of ponder's table (default `weighted-best-of-n`); `revisions` and `auto` need more than one model and are refused. */
  strategy?: string;
  /** Generations per call (the N of best-of-N, the beams of beam search), or a full Budget. */
  budget: number | Budget;
  /** Scores candidates; every strategy but `majority` needs one. */
  verifier?: Verifier;
  /** Reads final answers and their canonical keys (default: ponder's math reader: \\boxed{}, "The answer is", …). */
  answers?: AnswerReader;
  /** The strategy's own options (beamWidth, lookahead, aggregation, maxSteps, …); a call's temperature, topP and maxOutputTokens take precedence. */
  options?: Omit<AnyStrategyOptions, "budget" | "seed">;
  /** Seed when a call sets none (default 0): the same seed, prompt and model give the same search. */
  seed?: number;
  /** Separates solution steps in the wrapped model's answers (default "\n\n"). */
  stepDelimiter?: string;
  /** The wrapped model's parameter count, for FLOPs in the provider metadata (unknown: 0). */
  parameters?: number;
  /** doGenerate calls of the wrapped model in flight at once (default 4). */
  concurrency?: number;
  /** Called with each search event (rounds of a step-wise search, candidates sampled). */
  onEvent?: (event: SearchEvent) => void;
}

const UNSUPPORTED_STRATEGIES = ["revisions", "auto"];

/**
 * Test-time compute around any AI SDK language model, for `wrapLanguageModel`: each call runs a
 * ponder strategy whose generations are `doGenerate` calls of the wrapped model and whose
 * candidates a ponder verifier scores; the chosen solution is the call's text. Usage is the sum
 * over every call the search made, in the SDK's shape; `providerMetadata.ponder` holds the answer,
 * the vote per answer, the candidates and ponder's per-model compute (verifier included). A stream
 * reports the search's progress as reasoning (one line per round) before the answer's text.
 * Calls with tools or a JSON response format are passed through unsearched, with a warning.
 * A call may choose its own `strategy`, `budget` and `seed` in `providerOptions.ponder`.
 * @example
 * const model = wrapLanguageModel({ model: openai("gpt-4o-mini"), middleware: ponderMiddleware({ strategy: "weighted-best-of-n", budget: 8, verifier }) });
 */
export function ponderMiddleware(options: PonderMiddlewareOptions): LanguageModelV3Middleware {
  resolveCall(options, undefined); // Fail at construction on bad options, not on the first call.

  async function search(params: LanguageModelV3CallOptions, model: Parameters<NonNullable<LanguageModelV3Middleware["wrapGenerate"]>>[0]["model"], onEvent?: (event: SearchEvent) => void) {
    const call = resolveCall(options, params.providerOptions?.["ponder"]);
    const generator = new LanguageModelGenerator(model, params, {
      ...(options.stepDelimiter !== undefined ? { stepDelimiter: options.stepDelimiter } : {}),
      ...(options.parameters !== undefined ? { parameters: options.parameters } : {}),
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    });
    const result = await call.entry.run(
      { id: "ai-sdk", question: promptQuestion(params.prompt) },
      {
        generator,
        ...(options.verifier ? { verifier: options.verifier } : {}),
        answers: options.answers ?? mathAnswerReader,
        ...(params.abortSignal ? { signal: params.abortSignal } : {}),
        onEvent: (event) => {
          options.onEvent?.(event);
          onEvent?.(event);
        },
      },
      {
        ...options.options,
        budget: call.budget,
        seed: call.seed ?? params.seed ?? options.seed ?? 0,
        ...(params.temperature !== undefined ? { temperature: params.temperature } : {}),
        ...(params.topP !== undefined ? { topP: params.topP } : {}),
        ...(params.maxOutputTokens !== undefined ? { maxTokens: params.maxOutputTokens } : {}),
      },
    );
    return { result, generator };
  }

  const passThrough = (params: LanguageModelV3CallOptions) => (params.tools?.length ?? 0) > 0 || params.responseFormat?.type === "json";
  const notSearched = { type: "other", message: "ponderMiddleware: a call with tools or a JSON response format is passed to the model unsearched" } as const;

  return {
    specificationVersion: "v3",
    async wrapGenerate({ doGenerate, params, model }) {
      if (passThrough(params)) {
        const result = await doGenerate();
        return { ...result, warnings: [...result.warnings, notSearched] };
      }
      const { result, generator } = await search(params, model);
      const { text, finishReason, providerMetadata } = outcome(result, generator.stepDelimiter);
      return { content: [{ type: "text", text }], finishReason, usage: generator.sdkUsage, providerMetadata, warnings: [] };
    },
    async wrapStream({ doStream, params, model }) {
      if (passThrough(params)) {
        const result = await doStream();
        return { ...result, stream: result.stream.pipeThrough(prependWarning(notSearched)) };
      }
      let controller!: ReadableStreamDefaultController<LanguageModelV3StreamPart>;
      const stream = new ReadableStream<LanguageModelV3StreamPart>({ start: (c) => void (controller = c) });
      controller.enqueue({ type: "stream-start", warnings: [] });
      controller.enqueue({ type: "reasoning-start", id: "ponder-search" });
      search(params, model, (event) => {
        controller.enqueue({ type: "reasoning-delta", id: "ponder-search", delta: `${progressLine(event)}\n` });
        if (params.includeRawChunks) controller.enqueue({ type: "raw", rawValue: event });
      }).then(
        ({ result, generator }) => {
          const { text, finishReason, providerMetadata } = outcome(result, generator.stepDelimiter);
          controller.enqueue({ type: "reasoning-end", id: "ponder-search" });
          controller.enqueue({ type: "text-start", id: "ponder-answer" });
          controller.enqueue({ type: "text-delta", id: "ponder-answer", delta: text });
          controller.enqueue({ type: "text-end", id: "ponder-answer" });
          controller.enqueue({ type: "finish", usage: generator.sdkUsage, finishReason, providerMetadata });
          controller.close();
        },
        (error: unknown) => {
          controller.enqueue({ type: "error", error });
          controller.close();
        },
      );
      return { stream };
    },
  };
}

/** The strategy, budget and seed of one call: the middleware's, or the call's `providerOptions.ponder`. */
function resolveCall(options: PonderMiddlewareOptions, perCall: unknown) {
  const o = (perCall ?? {}) as { strategy?: unknown; budget?: unknown; seed?: unknown };
  const where = perCall === undefined ? "ponderMiddleware options" : "providerOptions.ponder";
  const name = o.strategy ?? options.strategy ?? "weighted-best-of-n";
  if (typeof name !== "string" || UNSUPPORTED_STRATEGIES.includes(name)) {
    throw new InvalidOptionError({ field: "strategy", value: name, accepted: "majority, best-of-n, weighted-best-of-n, beam-search, lookahead, dvts", where });
  }
  const entry = strategyByName(name);
  if (entry.needsVerifier && !options.verifier) throw new InvalidOptionError({ field: "verifier", value: undefined, accepted: `a ponder Verifier: strategy ${name} scores candidates`, where: "ponderMiddleware options" });
  const raw = o.budget ?? options.budget;
  const budget = validateBudget(typeof raw === "number" ? { generations: raw } : (raw as Budget), where);
  if (o.seed !== undefined && !Number.isInteger(o.seed)) throw new InvalidOptionError({ field: "seed", value: o.seed, accepted: "an integer", where });
  return { entry, budget, seed: o.seed as number | undefined };
}

/** The chosen solution as the call's text, and what the search found as provider metadata. */
function outcome(result: StrategyResult, delimiter: string) {
  const chosen = result.chosen ?? result.candidates[0];
  const text = chosen ? chosen.steps.join(delimiter) : "";
  const finishReason: LanguageModelV3GenerateResult["finishReason"] = chosen?.finishReason === "length" ? { unified: "length", raw: "length" } : { unified: "stop", raw: chosen?.finishReason ?? "end" };
  const votes = tallyAnswers(result.candidates).map((t) => ({ answer: result.candidates[t.first]!.answer!, count: t.count, weight: t.weight, best: t.best }));
  const providerMetadata: SharedV3ProviderMetadata = {
    ponder: {
      strategy: result.strategy,
      answer: result.answer,
      budget: { ...result.budget },
      stoppedBy: result.stoppedBy,
      votes,
      candidates: result.candidates.map((c) => ({ answer: c.answer, finishReason: c.finishReason, ...(c.score !== undefined ? { score: c.score } : {}) })),
      usage: usageJson(result.usage),
      details: { ...result.details },
    },
  };
  return { text, finishReason, providerMetadata };
}

/** One line of search progress, as a stream's reasoning shows it. */
export function progressLine(event: SearchEvent): string {
  if (event.type === "candidates") return `${event.strategy}: ${event.count} candidates`;
  const best = event.bestScore !== undefined ? `, best score ${event.bestScore.toFixed(3)}` : "";
  return `${event.strategy} round ${event.round}: ${event.active} active, ${event.finished} finished${best}`;
}

function prependWarning(warning: { type: "other"; message: string }): TransformStream<LanguageModelV3StreamPart, LanguageModelV3StreamPart> {
  return new TransformStream({
    transform(part, controller) {
      controller.enqueue(part.type === "stream-start" ? { ...part, warnings: [...part.warnings, warning] } : part);
    },
  });
}
