import type { Problem } from "./problem.js";

/** How a generator turns a problem into the text a model continues. Strategies never see it. */
export interface PromptTemplate {
  /** Template name, for logs and configs. */
  readonly name: string;
  /** Separates solution steps; generation of one step stops at it. */
  readonly stepDelimiter: string;
  /** The rendered text contains special tokens written out (`<|im_start|>`), to be parsed as such. */
  readonly specialTokens?: boolean;
  /** The prompt before the first step; `attempts` are earlier solutions shown to a revision model, oldest first. */
  render(problem: Problem, attempts?: readonly string[]): string;
}

/** The text a model continues to extend `prefix` steps: prompt, then each step and its delimiter. */
export function continuationPrompt(
  template: PromptTemplate,
  problem: Problem,
  prefix: readonly string[],
  attempts?: readonly string[],
): string {
  return template.render(problem, attempts) + prefix.map((step) => step + template.stepDelimiter).join("");
}
