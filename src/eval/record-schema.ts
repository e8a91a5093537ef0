import { z } from "zod";
import type { EvalRecord } from "./eval-record.js";

const count = z.number().finite().min(0);
const modelUsage = z.object({ generations: count, calls: count, promptTokens: count, cachedPromptTokens: count, completionTokens: count, flops: count, wallMs: count });
const candidate = z.object({
  text: z.string(),
  finishReason: z.enum(["step", "end", "length"]),
  answer: z.string().nullable(),
  answerKey: z.string().nullable(),
  score: z.number().optional(),
  unscored: z.string().optional(),
  correct: z.boolean(),
});

/**
 * The shape of a stored record. Fields of later versions are allowed (the record is kept as read,
 * not as parsed), so only what ponder reads is checked.
 */
export const evalRecordSchema = z.object({
  problemId: z.string().min(1),
  level: z.number().optional(),
  strategy: z.string().min(1),
  budget: z.int().min(1),
  seed: z.int().min(0),
  answer: z.string().nullable(),
  answerKey: z.string().nullable(),
  gold: z.string().nullable(),
  correct: z.boolean(),
  candidates: z.array(candidate),
  usage: z.record(z.string(), modelUsage),
  stoppedBy: z.enum(["complete", "budget", "error"]),
  subsampled: z.boolean(),
  // JSON turns a NaN or infinite figure into null.
  details: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])),
  error: z.object({ name: z.string(), message: z.string() }).optional(),
});

/** The record a line holds, or why it is not one: the first field at fault and what it should be. */
export function checkRecord(value: unknown): { record: EvalRecord } | { reason: string } {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return { reason: `a record is a JSON object; this line holds ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value}` };
  const parsed = evalRecordSchema.safeParse(value);
  if (parsed.success) return { record: value as EvalRecord };
  const issue = parsed.error.issues[0]!;
  const field = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "") || "the record";
  return { reason: `${field}: ${issue.message}` };
}
