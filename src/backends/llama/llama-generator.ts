import type { Continuation, GenerationRequest, GenerationResult, Generator } from "../../core/generator.js";
import { continuationPrompt, type PromptTemplate } from "../../core/prompt-template.js";
import { deriveSeed } from "../../core/rng.js";
import { addUsage, callUsage, type Usage } from "../../core/usage.js";
import { validateGenerationRequest } from "../validate-request.js";
import type { LlamaEngine } from "./llama-engine.js";

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

  constructor(engine: LlamaEngine, template: PromptTemplate) {
    this.engine = engine;
    this.template = template;
    this.modelId = engine.modelId;
    this.stepDelimiter = template.stepDelimiter;
  }

  async generate(request: GenerationRequest, signal?: AbortSignal): Promise<GenerationResult> {
    const { problem, prefix = [], attempts, until, n = 1, sampling, logprobs = false } = validateGenerationRequest(request);
    const text = continuationPrompt(this.template, problem, prefix, attempts);
    const prompt = this.template.specialTokens
      ? [...this.engine.tokenize("", { bos: true }), ...this.engine.tokenizeWithSpecials(text)]
      : this.engine.tokenize(text, { bos: true });
    const stop = until === "step" ? [this.stepDelimiter] : [];
    const completions = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        this.engine.complete(prompt, { sampling: { ...sampling, seed: deriveSeed(sampling.seed, i) }, stop, logprobs, signal }),
      ),
    );
    let usage: Usage = {};
    const continuations: Continuation[] = completions.map((c) => {
      const own = callUsage(this.modelId, {
        parameters: this.engine.parameters,
        generations: prefix.length === 0 ? 1 : 0,
        calls: 1,
        promptTokens: c.promptTokens,
        cachedPromptTokens: c.cachedPromptTokens,
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
      };
    });
    return { continuations, usage };
  }
}

/**
 * Steps of a generated text. A step request yields its one step (even an empty line, so a search
 * always advances), or none when the solution simply ended; a whole solution yields its non-empty pieces.
 */
export function splitSteps(text: string, delimiter: string, until: "step" | "solution", ended: boolean): string[] {
  if (until === "step") return ended && text.length === 0 ? [] : [text];
  return text.split(delimiter).filter((s) => s.trim().length > 0);
}
