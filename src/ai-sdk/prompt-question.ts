import type { LanguageModelV3Prompt } from "@ai-sdk/provider";
import { InvalidOptionError } from "../core/errors/invalid-option-error.js";

/** The text of a message's text parts (files, tool calls and reasoning left out). */
export function messageText(message: LanguageModelV3Prompt[number]): string {
  if (typeof message.content === "string") return message.content;
  return message.content.map((part) => (part.type === "text" ? part.text : "")).join("");
}

/**
 * The question a search answers: the text of the prompt's last user message. The verifier and the
 * answer reader see it; the wrapped model still receives the whole prompt, system message and history included.
 */
export function promptQuestion(prompt: LanguageModelV3Prompt): string {
  for (let i = prompt.length - 1; i >= 0; i--) {
    const message = prompt[i]!;
    if (message.role === "user") return messageText(message);
  }
  throw new InvalidOptionError({ field: "prompt", value: `${prompt.length} messages, none from the user`, accepted: "a prompt with a user message (the question to search an answer for)" });
}
