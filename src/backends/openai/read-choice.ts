import type { Continuation } from "../../core/generator.js";
import { splitSteps } from "../llama/llama-generator.js";
import type { CompletionChoice } from "./openai-wire.js";
import type { EndOfStep } from "./server-kind.js";

/** What a completion or chat choice carries that a continuation is made from. */
export interface WireChoice {
  text: string;
  finish_reason?: string | null;
  stop_reason?: string | number | null;
  matched_stop?: string | number | null;
  logprobs?: CompletionChoice["logprobs"];
}

/**
 * How a choice that did not run out of tokens ended, by the server's way of saying it (see
 * EndOfStep): "step" when the step delimiter stopped it, "end" when end-of-sequence did.
 */
function stoppedAt(choice: WireChoice, endOfStep: EndOfStep, delimiter: string): "step" | "end" {
  switch (endOfStep) {
    case "stop-reason":
    case "matched-stop": {
      const reason = endOfStep === "stop-reason" ? choice.stop_reason : choice.matched_stop;
      return reason === delimiter ? "step" : "end";
    }
    case "eos-token": {
      // llama.cpp lists an end-of-sequence token with empty text last; a stop string's tokens are dropped.
      const content = (choice.logprobs as { content?: { token: string; id?: number }[] | null } | null | undefined)?.content;
      if (!content) return choice.text.length === 0 ? "end" : "step";
      const last = content.at(-1);
      return last && last.token === "" ? "end" : "step";
    }
    default:
      // `cut-locally` sent no stop string, and `stop-type` is read from the native result: a stop
      // that reaches here without the delimiter in the text was end-of-sequence.
      return "end";
  }
}

/**
 * A choice as a Continuation. The delimiter inside the text means the step ended there (a server
 * that kept the stop string, or `cut-locally`, which sent none: the rest is dropped); a cut at
 * max_tokens is `length`; otherwise the server's way of saying why it stopped decides.
 */
export function continuationFromChoice(
  choice: WireChoice,
  { until, delimiter, endOfStep, completionTokens, logprobs }: { until: "step" | "solution"; delimiter: string; endOfStep: EndOfStep; completionTokens: number; logprobs: boolean },
): Continuation {
  let text = choice.text;
  let finishReason: Continuation["finishReason"];
  const overrun = until === "step" ? text.indexOf(delimiter) : -1;
  if (overrun >= 0) {
    text = text.slice(0, overrun);
    finishReason = "step";
  } else if (choice.finish_reason === "length") finishReason = "length";
  else if (until === "solution") finishReason = "end";
  else finishReason = stoppedAt(choice, endOfStep, delimiter);
  const tokenLogprobs = logprobs ? generatedLogprobs(choice.logprobs, finishReason === "end") : undefined;
  return {
    text,
    steps: splitSteps(text, delimiter, until, finishReason === "end"),
    finishReason,
    completionTokens,
    ...(tokenLogprobs ? { tokenLogprobs } : {}),
  };
}

/**
 * Log-probabilities of the generated tokens, from either logprobs layout; undefined when the server
 * sent none. An end-of-sequence token that llama.cpp lists last (empty text) is left out, as the
 * embedded engine leaves it out.
 */
export function generatedLogprobs(logprobs: WireChoice["logprobs"], ended = false): number[] | undefined {
  if (!logprobs) return undefined;
  const { token_logprobs, content } = logprobs as { token_logprobs?: (number | null)[]; content?: { token: string; logprob: number }[] | null };
  if (token_logprobs) return token_logprobs.map((lp) => lp ?? Number.NaN);
  if (!content) return undefined;
  const listed = ended && content.at(-1)?.token === "" ? content.slice(0, -1) : content;
  return listed.map((c) => c.logprob);
}

/**
 * Completion tokens per choice. One choice takes the response's count; several take their
 * logprobs' token counts when present, else an even split of the total (OpenAI-style usage sums
 * the choices without breaking the sum down).
 */
export function tokensPerChoice(choices: readonly WireChoice[], total: number | null | undefined): number[] {
  if (choices.length === 1) return [total ?? generatedLogprobs(choices[0]!.logprobs)?.length ?? 0];
  const counted = choices.map((c) => generatedLogprobs(c.logprobs)?.length);
  if (counted.every((c) => c !== undefined) && (total == null || counted.reduce((a, b) => a! + b!, 0) === total)) return counted as number[];
  const sum = total ?? 0;
  return choices.map((_, i) => Math.floor(sum / choices.length) + (i < sum % choices.length ? 1 : 0));
}

/**
 * The continuation of a chat reply to a prefilled assistant message: llama.cpp returns the prefill
 * and the continuation together; other servers the continuation only.
 */
export function withoutEchoedPrefill(content: string, prefill: string): string {
  // A chat template may trim the message it continues; the echo then lacks the trailing whitespace.
  for (const echoed of [prefill, prefill.trimEnd()]) if (echoed.length > 0 && content.startsWith(echoed)) return content.slice(echoed.length);
  return content;
}
