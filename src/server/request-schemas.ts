import { z } from "zod";
import { STEP_AGGREGATIONS } from "../aggregation/aggregate-step-scores.js";
import { badRequest } from "./errors/api-error.js";

/**
 * ponder's extension of a request body, `"ponder": { … }`: the strategy and its options, in
 * OpenAI's snake_case. Unknown keys are refused (a typo must not silently fall back to a default).
 */
export const ponderFieldsSchema = z.strictObject({
  /** A strategy name from the strategies table; overrides the model name's. */
  strategy: z.string().min(1).optional(),
  /** Generations (the N of best-of-N, beams of beam search); overrides the model name's. */
  budget: z.int().min(1).optional(),
  /** Cap on generated tokens across the whole search. */
  token_budget: z.int().min(1).optional(),
  beam_width: z.int().min(1).optional(),
  lookahead: z.int().min(0).optional(),
  chain_length: z.int().min(1).optional(),
  context_attempts: z.int().min(0).optional(),
  selection: z.enum(["hierarchical", "weighted", "majority"]).optional(),
  stop_when_decided: z.number().gt(0).lte(1).optional(),
  wave: z.int().min(1).optional(),
  aggregation: z.enum(STEP_AGGREGATIONS).optional(),
  max_steps: z.int().min(1).optional(),
  max_step_tokens: z.int().min(1).optional(),
  drop_duplicates: z.boolean().optional(),
  /** Return every candidate (steps, answer, score) in the response's `ponder` field. */
  include_candidates: z.boolean().optional(),
});
export type PonderFields = z.infer<typeof ponderFieldsSchema>;

const unsupported = (what: string) => ({ message: `${what} is not supported by ponder serve` });

/** Fields both endpoints read; others OpenAI defines (user, presence_penalty, …) are accepted and ignored. */
const commonFields = {
  model: z.string().min(1),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
  seed: z.int().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().gt(0).lte(1).nullish(),
  max_tokens: z.int().min(1).nullish(),
  n: z.literal(1, { message: "only 1 is supported: ponder answers once per request (ask for more samples with ponder.budget)" }).nullish(),
  stop: z.union([z.null(), z.array(z.string()).max(0)], unsupported("a stop sequence")).optional(),
  ponder: ponderFieldsSchema.optional(),
};

const textPart = z.object({ type: z.literal("text"), text: z.string() });
const messageSchema = z.object({
  role: z.enum(["system", "developer", "user", "assistant", "tool"]),
  content: z.union([z.string(), z.array(textPart), z.null()]),
});

export const chatRequestSchema = z.object({
  ...commonFields,
  messages: z.array(messageSchema).min(1),
  max_completion_tokens: z.int().min(1).nullish(),
  logprobs: z.literal(false, unsupported("logprobs")).nullish(),
  tools: z.array(z.unknown()).max(0, unsupported("tool calling")).nullish(),
});
export type ChatRequest = z.infer<typeof chatRequestSchema>;

export const completionRequestSchema = z.object({
  ...commonFields,
  prompt: z.union([z.string(), z.array(z.string()).length(1)], { message: "expected a string (one question per request)" }),
  echo: z.literal(false, unsupported("echo")).nullish(),
  logprobs: z.null(unsupported("logprobs")).optional(),
  suffix: z.null(unsupported("suffix")).optional(),
  best_of: z.literal(1, unsupported("best_of other than 1 (use ponder.budget)")).nullish(),
});
export type CompletionRequest = z.infer<typeof completionRequestSchema>;

/** Parses a body against a schema; a failure is a 400 whose `param` names the first bad field. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const keys = issue.code === "unrecognized_keys" ? issue.keys : [];
  const param = fieldPath([...issue.path, ...keys.slice(0, 1)]);
  const message = issue.code === "unrecognized_keys" ? `unknown field; ${describeAccepted(issue.path)}` : issue.message;
  throw badRequest(param || null, `${param || "body"}: ${message}`);
}

/** `messages[0].content` from ["messages", 0, "content"]. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`)).join("");
}

function describeAccepted(path: readonly PropertyKey[]): string {
  return path.length === 1 && path[0] === "ponder" ? `ponder accepts ${Object.keys(ponderFieldsSchema.shape).join(", ")}` : "remove it";
}
