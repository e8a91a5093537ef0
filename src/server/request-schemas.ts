import { z } from "zod";
import { STEP_AGGREGATIONS } from "../aggregation/aggregate-step-scores.js";
import { CONFIDENCE_SIGNALS } from "../core/token-confidence.js";
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
  /** deepconf-offline: the most confident η% vote; deepconf-online: its threshold keeps η% of the warm-up. */
  keep_percent: z.number().gt(0).lte(100).optional(),
  /** deepconf-online: warm-up traces that set the threshold. */
  warmup: z.int().min(1).optional(),
  /** deepconf-online: stop once the leading answer holds this share of the weighted vote. */
  consensus: z.number().gt(0).lte(1).optional(),
  /** deepconf-online: stop, too, once this many traces are drawn and no answer has two votes (0: never). */
  give_up_after: z.int().min(0).optional(),
  /** deepconf-*: what a token's confidence is. */
  confidence_signal: z.enum(CONFIDENCE_SIGNALS).optional(),
  aggregation: z.enum(STEP_AGGREGATIONS).optional(),
  max_steps: z.int().min(1).optional(),
  max_step_tokens: z.int().min(1).optional(),
  drop_duplicates: z.boolean().optional(),
  /** Return every candidate (steps, answer, score) in the response's `ponder` field. */
  include_candidates: z.boolean().optional(),
  /** The upstream policy model to search with, by the server's name for it (as after the last "/" of `ponder/<strategy>:<budget>/<upstream>`). */
  model: z.string().min(1).optional(),
});
export type PonderFields = z.infer<typeof ponderFieldsSchema>;

const unsupported = (what: string) => ({ message: `${what} is not supported by ponder serve` });

/**
 * Fields OpenAI defines that do not change what ponder answers, or that it cannot honour: accepted
 * so the official clients' requests pass, and reported back (the response's `ponder.ignored_fields`
 * and the `x-ponder-ignored-fields` header), never dropped silently. Any other unknown field is a 400.
 */
export const IGNORED_FIELDS = {
  chat: ["user", "metadata", "store", "service_tier", "prompt_cache_key", "safety_identifier", "presence_penalty", "frequency_penalty", "logit_bias", "tools", "parallel_tool_calls", "tool_choice", "reasoning_effort", "verbosity", "modalities", "top_logprobs", "response_format"],
  completions: ["user", "presence_penalty", "frequency_penalty", "logit_bias"],
} as const;

const ignored = (names: readonly string[]) => Object.fromEntries(names.map((name) => [name, z.unknown().optional()]));

/** The fields of a parsed request that IGNORED_FIELDS lists and the request set (null counts as unset). */
export function ignoredFields(request: object, endpoint: keyof typeof IGNORED_FIELDS): string[] {
  return IGNORED_FIELDS[endpoint].filter((name) => (request as Record<string, unknown>)[name] != null);
}

/** Fields both endpoints read. */
const commonFields = {
  model: z.string().min(1),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
  seed: z.int().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().gt(0).lte(1).nullish(),
  max_tokens: z.int().min(1).nullish(),
  /** Choices: n independent searches, each at the full budget, seeded apart. */
  n: z.int().min(1).nullish(),
  /** The generation budget, for clients that cannot send `ponder` (the same as `ponder.budget`). */
  budget: z.int().min(1).nullish(),
  stop: z.union([z.null(), z.array(z.string()).max(0)], unsupported("a stop sequence")).optional(),
  ponder: ponderFieldsSchema.optional(),
};

const textPart = z.object({ type: z.literal("text"), text: z.string() });
const messageSchema = z.object({
  role: z.enum(["system", "developer", "user", "assistant", "tool"]),
  content: z.union([z.string(), z.array(textPart), z.null()]),
});

export const chatRequestSchema = z.strictObject({
  ...commonFields,
  ...ignored(IGNORED_FIELDS.chat),
  messages: z.array(messageSchema).min(1),
  max_completion_tokens: z.int().min(1).nullish(),
  logprobs: z.literal(false, unsupported("logprobs")).nullish(),
  // Agent frameworks send their tools with every request. Under "auto" (OpenAI's default when tools
  // are sent) or "none" a model may answer in text, which is what a search returns, so the tools
  // are accepted and reported as ignored; a request that insists on a tool call is refused.
  tools: z.array(z.unknown()).nullish(),
  tool_choice: z
    .union([z.enum(["auto", "none"]), z.null()], {
      message: 'ponder serve answers in text and never calls a tool; accepted values are "auto" and "none" (the tools are then reported as ignored)',
    })
    .optional(),
});
export type ChatRequest = z.infer<typeof chatRequestSchema>;

export const completionRequestSchema = z.strictObject({
  ...commonFields,
  ...ignored(IGNORED_FIELDS.completions),
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
  if (path.length === 1 && path[0] === "ponder") return `ponder accepts ${Object.keys(ponderFieldsSchema.shape).join(", ")}`;
  return path.length === 0 ? "remove it, or put ponder's own options under \"ponder\" (see GET /v1/models)" : "remove it";
}
