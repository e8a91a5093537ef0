import type { Problem } from "../../src/core/problem.js";

/** Part 3 (over a llama.cpp server): not wired yet. */
export async function runServerPart(args: { url?: string; start: boolean; problems: readonly Problem[]; budgets: readonly number[]; common: { temperature: number; maxTokens: number }; concurrency: number }): Promise<void> {
  void args;
  console.log("3. server: not available yet");
}
