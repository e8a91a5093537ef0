import type { LanguageModelV3, LanguageModelV3CallOptions, LanguageModelV3GenerateResult, LanguageModelV3Usage } from "@ai-sdk/provider";
import type { Continuation, GenerationRequest, GenerationResult, Generator } from "../core/generator.js";
import { mapLimit } from "../core/map-limit.js";
import { deriveSeed } from "../core/rng.js";
import { addUsage, callUsage, type Usage } from "../core/usage.js";
import { validateGenerationRequest } from "../backends/validate-request.js";
import { splitSteps } from "../backends/llama/llama-generator.js";
import { addSdkUsage, emptySdkUsage } from "./sdk-usage.js";

export interface LanguageModelGeneratorOptions {
  /** Separates solution steps in the model's answers (default "\n\n"). */
  stepDelimiter?: string;
  /** The model's parameter count, for FLOPs (2 × parameters × tokens); unknown, FLOPs are recorded as 0. */
  parameters?: number;
  /** doGenerate calls in flight at once (default 4). */
  concurrency?: number;
}

/**
 * A ponder Generator over an AI SDK language model: each continuation is one `doGenerate` call
 * with the caller's prompt and settings, a derived seed, and the steps written so far as a final
 * assistant message to continue (step-wise search needs a model that continues it, as llama.cpp,
 * vLLM and Anthropic models do; sampling whole solutions works with any model).
 * @example const generator = new LanguageModelGenerator(model, params, { stepDelimiter: "\n" });
 */
export class LanguageModelGenerator implements Generator {
  readonly modelId: string;
  readonly stepDelimiter: string;
  readonly #model: LanguageModelV3;
  readonly #params: LanguageModelV3CallOptions;
  readonly #parameters: number;
  readonly #concurrency: number;
  #sdkUsage: LanguageModelV3Usage = emptySdkUsage();

  constructor(model: LanguageModelV3, params: LanguageModelV3CallOptions, options: LanguageModelGeneratorOptions = {}) {
    this.#model = model;
    this.#params = params;
    this.modelId = `${model.provider}:${model.modelId}`;
    this.stepDelimiter = options.stepDelimiter ?? "\n\n";
    this.#parameters = options.parameters ?? 0;
    this.#concurrency = options.concurrency ?? 4;
  }

  /** Everything the wrapped model reported spending so far, summed in the AI SDK's shape. */
  get sdkUsage(): LanguageModelV3Usage {
    return this.#sdkUsage;
  }

  async generate(request: GenerationRequest, signal?: AbortSignal): Promise<GenerationResult> {
    const { prefix = [], until, n = 1, sampling } = validateGenerationRequest(request);
    const prefill = prefix.map((step) => step + this.stepDelimiter).join("");
    const prompt: LanguageModelV3CallOptions["prompt"] = prefill === "" ? this.#params.prompt : [...this.#params.prompt, { role: "assistant", content: [{ type: "text", text: prefill }] }];
    const stopSequences = until === "step" ? [this.stepDelimiter] : this.#params.stopSequences;
    const abortSignal = signal ?? this.#params.abortSignal;
    const results = await mapLimit(Array.from({ length: n }, (_, i) => i), this.#concurrency, async (i) => {
      return this.#model.doGenerate({
        ...this.#params,
        prompt,
        temperature: sampling.temperature,
        maxOutputTokens: sampling.maxTokens,
        seed: deriveSeed(sampling.seed, i),
        ...(sampling.topP !== undefined ? { topP: sampling.topP } : {}),
        ...(sampling.topK !== undefined ? { topK: sampling.topK } : {}),
        ...(stopSequences !== undefined ? { stopSequences } : {}),
        ...(abortSignal !== undefined ? { abortSignal } : {}),
      });
    });
    let usage: Usage = {};
    const continuations = results.map((result): Continuation => {
      this.#sdkUsage = addSdkUsage(this.#sdkUsage, result.usage);
      const own = this.#usageOf(result, prefix.length === 0);
      usage = addUsage(usage, own);
      return { ...this.#continuation(result, until), usage: own };
    });
    return { continuations, usage };
  }

  /** One call's usage (wall time is measured by the strategy's compute meter). */
  #usageOf(result: LanguageModelV3GenerateResult, fresh: boolean): Usage {
    const input = result.usage.inputTokens;
    const cached = input.cacheRead ?? 0;
    return callUsage(this.modelId, {
      parameters: this.#parameters,
      generations: fresh ? 1 : 0,
      calls: 1,
      promptTokens: input.noCache ?? Math.max(0, (input.total ?? 0) - cached),
      cachedPromptTokens: cached,
      completionTokens: result.usage.outputTokens.total ?? 0,
    });
  }

  /**
   * The text of a result as a continuation. Providers report a stop sequence and the end of the
   * answer alike as `stop`; a step request reads it as a step unless the provider's raw reason
   * says `end` (ponderLanguageModel does) or nothing was written, as the OpenAI backend does.
   */
  #continuation(result: LanguageModelV3GenerateResult, until: "step" | "solution"): Omit<Continuation, "usage"> {
    let text = result.content.map((part) => (part.type === "text" ? part.text : "")).join("");
    const { unified, raw } = result.finishReason;
    let finishReason: Continuation["finishReason"];
    const overrun = until === "step" ? text.indexOf(this.stepDelimiter) : -1;
    if (overrun >= 0) {
      // A provider that ignored the stop sequence, or kept it: cut at the delimiter ourselves.
      text = text.slice(0, overrun);
      finishReason = "step";
    } else if (unified === "length") finishReason = "length";
    else if (until === "solution" || raw === "end" || text.length === 0) finishReason = "end";
    else finishReason = "step";
    return {
      text,
      steps: splitSteps(text, this.stepDelimiter, until, finishReason === "end"),
      finishReason,
      completionTokens: result.usage.outputTokens.total ?? 0,
    };
  }
}
