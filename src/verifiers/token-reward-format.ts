import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import type { Problem } from "../core/problem.js";

/**
 * How a token reward model reads a solution, as data: the text it sees and the points where the
 * next-token probabilities of `positive` and `negative` are compared. A step's score is
 * P(positive) / (P(positive) + P(negative)) right after that step's `step` text.
 * Placeholders: `{question}`, `{step}` (the step's text), `{n}` (its number, from 1).
 */
export interface TokenRewardFormat {
  /** Name for configs and logs. */
  name: string;
  /** Text before the first step. */
  prompt: string;
  /** Each step's text; the score is read as the next token after it. */
  step: string;
  /** The first step's text when it differs (RLHFlow puts the question in the first turn). */
  firstStep?: string;
  /** Text after each read point, before the next step. */
  afterStep: string;
  positive: string;
  negative: string;
  /** The text has special tokens written out (a chat template). */
  specialTokens?: boolean;
  /** Trim each step's whitespace (chat templates trim message contents). */
  trimSteps?: boolean;
}

/**
 * ponder's demo PRM: `Q: {question}\nA:\n` (the demo policy's prompt) then each step as
 * `${step} ки\n`, read at each " ки".
 */
export const demoPrmFormat: TokenRewardFormat = { name: "demo", prompt: "Q: {question}\nA:\n", step: "{step} ки", afterStep: "\n", positive: "+", negative: "-" };

/** Math-Shepherd (peiyi9979/math-shepherd-mistral-7b-prm): `{question} Step 1: … ки\nStep 2: … ки`, "+" vs "-" at each tag. */
export const mathShepherdFormat: TokenRewardFormat = {
  name: "math-shepherd",
  prompt: "{question} ",
  step: "Step {n}: {step} ки",
  afterStep: "\n",
  positive: "+",
  negative: "-",
};

const LLAMA31_TURN = (content: string) => `<|start_header_id|>user<|end_header_id|>\n\n${content}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n`;

/**
 * RLHFlow's Llama-3.1-8B PRMs: each step a user turn (the first with the question), each answered
 * by an assistant "+", laid out by Llama 3.1's chat template (which writes its date header when there
 * is no system message); "+" vs "-" read where the assistant's answer begins.
 */
export const rlhflowFormat: TokenRewardFormat = {
  name: "rlhflow",
  prompt: "<|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n<|eot_id|>",
  firstStep: LLAMA31_TURN("{question} {step}"),
  step: LLAMA31_TURN("{step}"),
  afterStep: "+<|eot_id|>",
  positive: "+",
  negative: "-",
  specialTokens: true,
  trimSteps: true,
};

export const tokenRewardFormats: Readonly<Record<string, TokenRewardFormat>> = {
  demo: demoPrmFormat,
  "math-shepherd": mathShepherdFormat,
  rlhflow: rlhflowFormat,
};

/** A preset by name; throws naming the presets. */
export function tokenRewardFormatByName(name: string): TokenRewardFormat {
  const format = tokenRewardFormats[name];
  if (!format) throw new InvalidOptionError({ field: "format", value: name, accepted: `${Object.keys(tokenRewardFormats).join(", ")} (or a custom format's fields)` });
  return format;
}

/** Checks a format's fields; throws InvalidOptionError naming the bad one. */
export function validateTokenRewardFormat(format: TokenRewardFormat, where?: string): TokenRewardFormat {
  const bad = (field: string, value: unknown, accepted: string) => new InvalidOptionError({ field: `format.${field}`, value, accepted, where });
  if (typeof format?.name !== "string" || format.name.length === 0) throw bad("name", format?.name, "a non-empty string");
  for (const field of ["prompt", "afterStep"] as const) if (typeof format[field] !== "string") throw bad(field, format[field], "a string");
  for (const field of ["step", "firstStep"] as const) {
    const value = format[field];
    if ((field === "step" || value !== undefined) && (typeof value !== "string" || !value.includes("{step}"))) throw bad(field, value, 'a string containing "{step}"');
  }
  for (const field of ["positive", "negative"] as const) if (typeof format[field] !== "string" || format[field].length === 0) throw bad(field, format[field], "a non-empty token text");
  if (format.positive === format.negative) throw bad("negative", format.negative, "a token other than format.positive");
  return format;
}

/** The text a token reward model reads for `steps`, and the character offset of each step's read point. */
export function renderTokenReward(format: TokenRewardFormat, problem: Problem, steps: readonly string[]): { text: string; cuts: number[] } {
  let text = fill(format.prompt, { question: problem.question });
  const cuts: number[] = [];
  steps.forEach((raw, i) => {
    const step = format.trimSteps ? raw.trim() : raw;
    text += fill(i === 0 && format.firstStep !== undefined ? format.firstStep : format.step, { question: problem.question, step, n: String(i + 1) });
    cuts.push(text.length);
    text += format.afterStep;
  });
  return { text, cuts };
}

/** Replaces placeholders in one pass, so a question containing "{step}" stays as written. */
function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(question|step|n)\}/g, (match, key: string) => values[key] ?? match);
}
