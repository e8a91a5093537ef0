import type { LanguageModelV3, LanguageModelV3CallOptions, LanguageModelV3GenerateResult, LanguageModelV3StreamPart, SharedV3Warning } from "@ai-sdk/provider";
import type { Generator } from "../core/generator.js";
import { messageText, promptQuestion } from "./prompt-question.js";
import { toSdkUsage } from "./sdk-usage.js";

export interface PonderLanguageModelOptions {
  /** The provider name the AI SDK reports (default "ponder"). */
  provider?: string;
  /** Sampling temperature when a call sets none (default 0.8, ponder's sampling default). */
  temperature?: number;
  /** Token limit when a call sets none (default 512). */
  maxOutputTokens?: number;
}

const IGNORED = ["presencePenalty", "frequencyPenalty", "tools", "toolChoice", "responseFormat"] as const;

/**
 * An AI SDK language model (LanguageModelV3) over a ponder Generator, so the SDK can drive ponder's
 * embedded models (the shipped demo models, any GGUF) or any backend ponder has. The question is
 * the last user message; a final assistant message is continued, step by step when the call's
 * stop sequences include the generator's step delimiter. The raw finish reason tells a finished
 * solution (`end`) from a step (`step`).
 * @example const model = ponderLanguageModel((await createGenerator("policy-small")).generator);
 */
export function ponderLanguageModel(generator: Generator, options: PonderLanguageModelOptions = {}): LanguageModelV3 {
  const generate = async (params: LanguageModelV3CallOptions): Promise<LanguageModelV3GenerateResult> => {
    const last = params.prompt.at(-1);
    const prefill = last?.role === "assistant" ? messageText(last) : "";
    const prefix = prefill === "" ? [] : prefill.split(generator.stepDelimiter).slice(0, prefill.endsWith(generator.stepDelimiter) ? -1 : undefined);
    const until = params.stopSequences?.includes(generator.stepDelimiter) ? "step" : "solution";
    const warnings: SharedV3Warning[] = IGNORED.filter((f) => params[f] !== undefined).map((feature) => ({ type: "unsupported", feature }));
    const { continuations, usage } = await generator.generate(
      {
        problem: { id: "ai-sdk", question: promptQuestion(params.prompt) },
        prefix,
        until,
        sampling: {
          temperature: params.temperature ?? options.temperature ?? 0.8,
          maxTokens: params.maxOutputTokens ?? options.maxOutputTokens ?? 512,
          seed: params.seed ?? 0,
          ...(params.topP !== undefined ? { topP: params.topP } : {}),
          ...(params.topK !== undefined ? { topK: params.topK } : {}),
        },
      },
      params.abortSignal,
    );
    const c = continuations[0]!;
    return {
      content: [{ type: "text", text: c.text }],
      finishReason: { unified: c.finishReason === "length" ? "length" : "stop", raw: c.finishReason },
      usage: toSdkUsage(usage),
      warnings,
    };
  };
  return {
    specificationVersion: "v3",
    provider: options.provider ?? "ponder",
    modelId: generator.modelId,
    supportedUrls: {},
    doGenerate: generate,
    // The embedded engine returns a continuation whole, so the stream carries it as one delta.
    async doStream(params) {
      const result = await generate(params);
      const text = result.content[0]?.type === "text" ? result.content[0].text : "";
      const parts: LanguageModelV3StreamPart[] = [
        { type: "stream-start", warnings: result.warnings },
        { type: "text-start", id: "0" },
        { type: "text-delta", id: "0", delta: text },
        { type: "text-end", id: "0" },
        { type: "finish", usage: result.usage, finishReason: result.finishReason },
      ];
      return { stream: new ReadableStream({ start: (controller) => { for (const part of parts) controller.enqueue(part); controller.close(); } }) };
    },
  };
}
