import type { Continuation } from "../../core/generator.js";
import { splitSteps } from "../llama/llama-generator.js";
import type { CompletionChoice } from "./openai-wire.js";

/** What a completion or chat choice carries that a continuation is made from. */
export interface WireChoice {
  text: string;
  finish_reason?: string | null;
  stop_reason?: string | number | null;
  matched_stop?: string | number | null;
  logprobs?: CompletionChoice["logprobs"];
}

/**
 * A choice as a Continuation. `stop` becomes `step` when the step delimiter stopped it and `end`
 * when end-of-sequence did, read from vLLM's `stop_reason` or SGLang's `matched_stop`; servers
 * that report neither (OpenAI, llama.cpp) are read as `step` unless the text is empty, so an
 * end-of-sequence right after a step costs one more, empty, call before the solution ends.
 */
export function continuationFromChoice(
  choice: WireChoice,
  { until, delimiter, completionTokens, logprobs }: { until: "step" | "solution"; delimiter: string; completionTokens: number; logprobs: boolean },
): Continuation {
  let text = choice.text;
  let finishReason: Continuation["finishReason"];
  const overrun = until === "step" ? text.indexOf(delimiter) : -1;
  if (overrun >= 0) {
    // A server that ignored `stop` (or kept the stop string): cut at the delimiter ourselves.
    text = text.slice(0, overrun);
    finishReason = "step";
  } else if (choice.finish_reason === "length") finishReason = "length";
  else if (until === "solution") finishReason = "end";
  else {
    const reason = choice.stop_reason !== undefined ? choice.stop_reason : choice.matched_stop;
    if (reason === undefined) finishReason = text.length === 0 ? "end" : "step";
    else finishReason = reason === delimiter ? "step" : "end";
  }
  const tokenLogprobs = logprobs ? generatedLogprobs(choice.logprobs) : undefined;
  return {
    text,
    steps: splitSteps(text, delimiter, until, finishReason === "end"),
    finishReason,
    completionTokens,
    ...(tokenLogprobs ? { tokenLogprobs } : {}),
  };
}

/** Log-probabilities of the generated tokens, from either logprobs layout; undefined when the server sent none. */
export function generatedLogprobs(logprobs: WireChoice["logprobs"]): number[] | undefined {
  if (!logprobs) return undefined;
  const { token_logprobs, content } = logprobs as { token_logprobs?: (number | null)[]; content?: { logprob: number }[] | null };
  if (token_logprobs) return token_logprobs.map((lp) => lp ?? Number.NaN);
  return content ? content.map((c) => c.logprob) : undefined;
}

/**
 * Completion tokens per choice. One choice takes the response's count; several take their
 * logprobs' token counts when present, else an even split of the total (a server's usage does
 * not break `n` down).
 */
export function tokensPerChoice(choices: readonly WireChoice[], total: number | null | undefined): number[] {
  if (choices.length === 1) return [total ?? generatedLogprobs(choices[0]!.logprobs)?.length ?? 0];
  const counted = choices.map((c) => generatedLogprobs(c.logprobs)?.length);
  if (counted.every((c) => c !== undefined)) return counted as number[];
  const sum = total ?? 0;
  return choices.map((_, i) => Math.floor(sum / choices.length) + (i < sum % choices.length ? 1 : 0));
}
