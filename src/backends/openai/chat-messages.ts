import type { Problem } from "../../core/problem.js";
import type { ChatMessage } from "./openai-wire.js";

/** The system message chat models get unless told otherwise; it asks for the step layout ponder splits on. */
export const DEFAULT_CHAT_SYSTEM = "Solve the problem step by step, separating steps with a blank line, and put the final answer in \\boxed{}.";

/**
 * The messages a chat server continues: the instruction, the question (with earlier attempts for a
 * revision model) and, once steps exist, an assistant message holding them, which the server must
 * continue rather than answer (assistant prefill).
 */
export function chatMessages(
  problem: Problem,
  prefix: readonly string[],
  attempts: readonly string[],
  { system = DEFAULT_CHAT_SYSTEM, stepDelimiter }: { system?: string; stepDelimiter: string },
): ChatMessage[] {
  const shown = attempts.map((a, i) => `Attempt ${i + 1}:\n${a}`).join("\n\n");
  const user = attempts.length === 0 ? problem.question : `${problem.question}\n\nEarlier attempts, which may contain mistakes:\n\n${shown}\n\nWrite a new, corrected solution.`;
  const messages: ChatMessage[] = system ? [{ role: "system", content: system }] : [];
  messages.push({ role: "user", content: user });
  if (prefix.length > 0) messages.push({ role: "assistant", content: prefix.map((step) => step + stepDelimiter).join("") });
  return messages;
}
