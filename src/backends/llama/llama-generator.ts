import type { Continuation, GenerationRequest, GenerationResult, Generator } from "../../core/generator.js";
import { continuationPrompt, type PromptTemplate } from "../../core/prompt-template.js";
import { currentRequestScope, RequestScope } from "../../core/request-scope.js";
import { deriveSeed } from "../../core/rng.js";
import { DEFAULT_CONFIDENCE_TOP_K } from "../../core/token-confidence.js";
import { addUsage, callUsage, type Usage } from "../../core/usage.js";
import { validateGenerationRequest } from "../validate-request.js";
import type { LlamaEngine } from "./llama-engine.js";

type Token = ReturnType<LlamaEngine["tokenize"]>[number];

/** Texts remembered with the tokens the model wrote them in; enough for every beam of many problems in flight. */
const WRITTEN_LIMIT = 20_000;

/**
 * A policy on the embedded engine. Continuations of one request share its prompt's KV cache;
 * continuations of a prefix another request already evaluated reuse that request's cache.
 * @example const policy = new LlamaGenerator(await LlamaEngine.load({ model: "models/policy-small.gguf" }), demoTemplate);
 */
export class LlamaGenerator implements Generator {
  readonly modelId: string;
  readonly stepDelimiter: string;
  readonly engine: LlamaEngine;
  readonly template: PromptTemplate;
  /**
   * Prompt-plus-step texts this generator wrote, with their tokens as sampled. A continuation of
   * one (a beam's child) is then fed the model's own tokens rather than a re-tokenization, which
   * can segment the same text differently ("+" " " vs " + ") and so miss the parent's KV cells.
   */
  readonly #written = new Map<string, Token[]>();
  /** The engines (contexts of one model, see LlamaEngine.sibling) the problems are spread over; `engine` is the first. */
  readonly engines: readonly LlamaEngine[];
  /** Calls in flight on each engine. */
  readonly #inFlight: number[];
  /** The engine each problem's calls go to, so that a search's prefixes stay in one KV cache. */
  readonly #home = new Map<string, number>();

  /** `engine`: one engine, or several contexts of one model (LlamaEngine.sibling), each problem on one of them. */
  constructor(engine: LlamaEngine | readonly LlamaEngine[], template: PromptTemplate) {
    this.engines = Array.isArray(engine) ? (engine as readonly LlamaEngine[]) : [engine as LlamaEngine];
    if (this.engines.length === 0 || this.engines.some((e) => e.path !== this.engines[0]!.path)) throw new RangeError("LlamaGenerator: engines must be one or more contexts of one model");
    this.engine = this.engines[0]!;
    this.#inFlight = this.engines.map(() => 0);
    this.template = template;
    this.modelId = this.engine.modelId;
    this.stepDelimiter = template.stepDelimiter;
  }

  async generate(request: GenerationRequest, signal?: AbortSignal): Promise<GenerationResult> {
    const { problem, prefix = [], attempts, until, n = 1, sampling, logprobs = false, confidence, onToken } = validateGenerationRequest(request);
    const text = continuationPrompt(this.template, problem, prefix, attempts);
    const prompt = this.#written.get(text) ?? this.#tokenize(text);
    const stop = until === "step" ? [this.stepDelimiter] : [];
    // Admitted before anything is awaited, so which concurrent call of a request is charged for a
    // shared prompt follows the order the calls were made in, not the order they finished in.
    const ledger = (currentRequestScope() ?? new RequestScope()).ledger;
    const processed = Array.from({ length: n }, () => ledger.admit(this.modelId, prompt));
    const home = this.#engineFor(problem.id);
    const engine = this.engines[home]!;
    this.#inFlight[home]!++;
    const completions = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        engine
          .complete(prompt, {
            sampling: { ...sampling, seed: deriveSeed(sampling.seed, i) },
            stop,
            logprobs,
            ...(confidence ? { confidence: { signal: confidence.signal ?? "top-k", topK: confidence.topK ?? DEFAULT_CONFIDENCE_TOP_K } } : {}),
            ...(onToken ? { onToken: (token) => onToken({ ...token, continuation: i }) } : {}),
            signal,
          })
          .then((c) => {
            // The last token was sampled but never fed to the model; a continuation of it evaluates it.
            ledger.admit(this.modelId, [...prompt, ...c.tokens.slice(0, -1)]);
            return c;
          }),
      ),
    ).finally(() => this.#inFlight[home]!--);
    if (until === "step") for (const c of completions) if (c.finishReason === "stop") this.#remember(text, prompt, c.text, c.tokens);
    let usage: Usage = {};
    const continuations: Continuation[] = completions.map((c, i) => {
      const own = callUsage(this.modelId, {
        parameters: this.engine.parameters,
        generations: prefix.length === 0 ? 1 : 0,
        calls: 1,
        promptTokens: c.promptTokens,
        cachedPromptTokens: c.cachedPromptTokens,
        processedPromptTokens: processed[i]!,
        completionTokens: c.completionTokens,
      });
      usage = addUsage(usage, own);
      return {
        usage: own,
        text: c.text,
        steps: splitSteps(c.text, this.stepDelimiter, until, c.finishReason === "end"),
        finishReason: c.finishReason === "stop" ? "step" : c.finishReason,
        completionTokens: c.completionTokens,
        ...(c.tokenLogprobs ? { tokenLogprobs: c.tokenLogprobs } : {}),
        ...(c.tokenConfidences ? { tokenConfidences: c.tokenConfidences } : {}),
      };
    });
    return { continuations, usage };
  }

  /**
   * A problem's engine: the one it was given, else the one with the fewest calls in flight (the
   * lowest index on a tie), remembered for its later calls (for the last 4,096 problems seen).
   * The samples are the same on any of them (each call carries its seeds).
   */
  #engineFor(problem: string): number {
    if (this.engines.length === 1) return 0;
    let home = this.#home.get(problem);
    if (home === undefined) {
      home = this.#inFlight.indexOf(Math.min(...this.#inFlight));
      this.#home.set(problem, home);
      if (this.#home.size > 4096) this.#home.delete(this.#home.keys().next().value!);
    }
    return home;
  }

  #tokenize(text: string): Token[] {
    return this.template.specialTokens ? [...this.engine.tokenize("", { bos: true }), ...this.engine.tokenizeWithSpecials(text)] : this.engine.tokenize(text, { bos: true });
  }

  /**
   * Remembers `text` + `step` + the delimiter with the tokens the model wrote, when those tokens
   * spell exactly that (a stop string inside a longer token does not). Two beams may write the
   * same text in different tokens; the canonical tokenization, else the smaller token list, is
   * kept, so which one a child continues does not depend on which beam finished first. The oldest
   * texts are forgotten first, past WRITTEN_LIMIT.
   */
  #remember(text: string, prompt: readonly Token[], step: string, generated: readonly Token[]): void {
    if (this.engine.detokenize(generated) !== step + this.stepDelimiter) return;
    const key = text + step + this.stepDelimiter;
    const tokens = [...prompt, ...generated];
    const held = this.#written.get(key);
    if (held) {
      const canonical = this.#tokenize(key);
      if (sameTokens(held, canonical) || (!sameTokens(tokens, canonical) && compareTokens(held, tokens) <= 0)) return;
      this.#written.delete(key);
    }
    this.#written.set(key, tokens);
    if (this.#written.size > WRITTEN_LIMIT) this.#written.delete(this.#written.keys().next().value!);
  }
}

function sameTokens(a: readonly Token[], b: readonly Token[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

/** Orders token lists by length, then id by id. */
function compareTokens(a: readonly Token[], b: readonly Token[]): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return 0;
}

/**
 * Steps of a generated text. A step request yields its one step (even an empty line, so a search
 * always advances), or none when the solution simply ended; a whole solution yields its non-empty pieces.
 */
export function splitSteps(text: string, delimiter: string, until: "step" | "solution", ended: boolean): string[] {
  if (until === "step") return ended && text.length === 0 ? [] : [text];
  return text.split(delimiter).filter((s) => s.trim().length > 0);
}
