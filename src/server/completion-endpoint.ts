import type { z } from "zod";
import { badRequest } from "./errors/api-error.js";
import { chatFormat, textFormat, type CompletionFormat } from "./completion-format.js";
import { chatRequestSchema, completionRequestSchema, type ChatRequest, type CompletionRequest, type IGNORED_FIELDS } from "./request-schemas.js";

/** The fields every completion request shares once parsed. */
export type AnyCompletionRequest = ChatRequest | CompletionRequest;

/** What differs between `/chat/completions` and `/completions`: the body, where the question is, the wire format. */
export interface CompletionEndpoint<R extends AnyCompletionRequest> {
  schema: z.ZodType<R>;
  format: CompletionFormat;
  /** Prefix of response ids (`chatcmpl`, `cmpl`). */
  idPrefix: string;
  /** Which list of OpenAI fields it accepts without acting on them. */
  ignored: keyof typeof IGNORED_FIELDS;
  /** The question and the request field it came from. */
  question(request: R): { text: string; param: string };
  /** The per-solution token limit asked for, and the field that asked. */
  maxTokens(request: R): { value: number; param: string } | undefined;
}

/**
 * `/v1/chat/completions`: the question is the last message, which must be the user's. Earlier turns
 * and system messages are not shown to the policy: ponder solves one question with its own prompt
 * template, the one its models and verifier were trained on.
 */
export const chatEndpoint: CompletionEndpoint<ChatRequest> = {
  schema: chatRequestSchema,
  format: chatFormat,
  idPrefix: "chatcmpl",
  ignored: "chat",
  question(request) {
    const index = request.messages.length - 1;
    const last = request.messages[index]!;
    if (last.role !== "user") throw badRequest(`messages[${index}].role`, `messages[${index}].role: the last message must be the user's question, got ${JSON.stringify(last.role)}`);
    const text = typeof last.content === "string" ? last.content : (last.content ?? []).map((part) => part.text).join("\n");
    return { text: nonEmpty(text, `messages[${index}].content`), param: `messages[${index}].content` };
  },
  maxTokens(request) {
    if (request.max_completion_tokens != null) return { value: request.max_completion_tokens, param: "max_completion_tokens" };
    return request.max_tokens != null ? { value: request.max_tokens, param: "max_tokens" } : undefined;
  },
};

/** `/v1/completions`: the prompt is the question (one per request). */
export const completionsEndpoint: CompletionEndpoint<CompletionRequest> = {
  schema: completionRequestSchema,
  format: textFormat,
  idPrefix: "cmpl",
  ignored: "completions",
  question(request) {
    const text = typeof request.prompt === "string" ? request.prompt : request.prompt[0]!;
    return { text: nonEmpty(text, "prompt"), param: "prompt" };
  },
  maxTokens: (request) => (request.max_tokens != null ? { value: request.max_tokens, param: "max_tokens" } : undefined),
};

function nonEmpty(text: string, param: string): string {
  if (text.trim().length === 0) throw badRequest(param, `${param}: the question is empty`);
  return text;
}
