import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import type { Problem } from "../core/problem.js";
import type { PromptTemplate } from "../core/prompt-template.js";

/** The format ponder's demo models were trained on: one step per line, the last line "The answer is N". */
export const demoTemplate: PromptTemplate = {
  name: "ponder-demo",
  stepDelimiter: "\n",
  render: (problem, attempts = []) => `Q: ${problem.question}\n${attempts.map((a) => `Attempt:\n${a}\n`).join("")}A:\n`,
};

const INSTRUCTION = "Solve the problem step by step, separating steps with a blank line, and put the final answer in \\boxed{}.";

function revisionNote(attempts: readonly string[]): string {
  if (attempts.length === 0) return "";
  const shown = attempts.map((a, i) => `Attempt ${i + 1}:\n${a}`).join("\n\n");
  return `\n\nEarlier attempts, which may contain mistakes:\n\n${shown}\n\nWrite a new, corrected solution.`;
}

/** Base (non-chat) models: a plain problem/solution layout with blank lines between steps. */
export const plainTemplate: PromptTemplate = {
  name: "plain",
  stepDelimiter: "\n\n",
  render: (problem, attempts = []) => `${INSTRUCTION}\n\nProblem: ${problem.question}${revisionNote(attempts)}\n\nSolution:\n`,
};

/** Qwen-style ChatML chat models. */
export const chatmlTemplate: PromptTemplate = {
  name: "chatml",
  stepDelimiter: "\n\n",
  specialTokens: true,
  render: (problem, attempts = []) =>
    `<|im_start|>system\n${INSTRUCTION}<|im_end|>\n<|im_start|>user\n${problem.question}${revisionNote(attempts)}<|im_end|>\n<|im_start|>assistant\n`,
};

/** Llama 3 instruct models (the tokenizer adds <|begin_of_text|>). */
export const llama3Template: PromptTemplate = {
  name: "llama3",
  stepDelimiter: "\n\n",
  specialTokens: true,
  render: (problem, attempts = []) =>
    `<|start_header_id|>system<|end_header_id|>\n\n${INSTRUCTION}<|eot_id|>` +
    `<|start_header_id|>user<|end_header_id|>\n\n${problem.question}${revisionNote(attempts)}<|eot_id|>` +
    `<|start_header_id|>assistant<|end_header_id|>\n\n`,
};

export const templates: Readonly<Record<string, PromptTemplate>> = {
  [demoTemplate.name]: demoTemplate,
  [plainTemplate.name]: plainTemplate,
  [chatmlTemplate.name]: chatmlTemplate,
  [llama3Template.name]: llama3Template,
};

/** A template by name; throws naming the accepted names. */
export function templateByName(name: string): PromptTemplate {
  const template = templates[name];
  if (!template) throw new InvalidOptionError({ field: "template", value: name, accepted: Object.keys(templates).join(", ") });
  return template;
}

/** A problem with only a question, for callers that have nothing else. */
export function problemFromQuestion(question: string, id = "q"): Problem {
  return { id, question };
}
