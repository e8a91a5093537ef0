import type { Problem } from "../../core/problem.js";
import { createRng, deriveSeed } from "../../core/rng.js";
import { ITEMS, NAMES, PHRASES, SYMBOLS, type Operation } from "./lexicon.js";

/** Largest running count a problem reaches; keeps every number at three digits or fewer. */
export const MAX_VALUE = 999;
/** Largest starting count and additive operand. */
const MAX_OPERAND = 60;
/** How often each operation is drawn among those that keep the count in [1, MAX_VALUE]. */
const WEIGHTS: Readonly<Record<Operation, number>> = { add: 3, sub: 3, mul: 2, div: 2 };

/** One operation of a problem, in the order the question states it. */
export interface SyntheticStep {
  operation: Operation;
  operand: number;
  /** The running count before this step. */
  before: number;
  /** The running count after it. */
  after: number;
}

/** A generated problem with what evaluation and training need besides the question. */
export interface SyntheticProblem extends Problem {
  answer: string;
  level: number;
  meta: {
    /** Reference solution, one step per line, ending with the answer line. */
    solution: string[];
    steps: SyntheticStep[];
    /** Irrelevant facts about other people placed among the operations. */
    distractors: number;
    seed: number;
    index: number;
  };
}

/** Irrelevant sentences at a level: none below 4, then one more every 4 levels (longer questions to search). */
export function distractorsAt(level: number): number {
  return Math.floor(level / 4);
}

/** The answer line that ends every reference solution and that ponder's extractors read. */
export function answerLine(answer: number | string): string {
  return `The answer is ${answer}`;
}

/** A solution's lines for these steps, one `before op operand = after` line each, then the answer line (the last step's result). */
export function solutionLines(steps: readonly SyntheticStep[]): string[] {
  return [...steps.map((s) => `${s.before} ${SYMBOLS[s.operation]} ${s.operand} = ${s.after}`), answerLine(steps.at(-1)!.after)];
}

/**
 * The problem at (`seed`, `level`, `index`): `level` operations on one running count, stated one
 * sentence each, with `distractorsAt(level)` irrelevant sentences mixed in. Pure: the same
 * arguments always give the same problem.
 */
export function generateSyntheticProblem({ level, seed, index }: { level: number; seed: number; index: number }): SyntheticProblem {
  const rng = createRng(deriveSeed(seed, "synthetic", level, index));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
  const between = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));

  const name = pick(NAMES);
  const item = pick(ITEMS);
  const start = between(2, MAX_OPERAND);
  const steps: SyntheticStep[] = [];
  let value = start;
  for (let i = 0; i < level; i++) {
    const step = drawStep(value, rng, between);
    steps.push(step);
    value = step.after;
  }

  const sentences = steps.map((s) => name + pick(PHRASES[s.operation]).replace("{n}", String(s.operand)));
  const distractors = distractorsAt(level);
  const others = NAMES.filter((n) => n !== name);
  for (let d = 0; d < distractors; d++) {
    // Never first: the question always opens with the person it asks about.
    const at = between(0, sentences.length);
    sentences.splice(at, 0, `${pick(others)} has ${between(2, MAX_OPERAND)} ${item}.`);
  }
  const question = [`${name} has ${start} ${item}.`, ...sentences, `How many ${item} does ${name} have now?`].join(" ");
  const solution = solutionLines(steps);
  return {
    id: `synthetic-${seed}-L${level}-${index}`,
    question,
    answer: String(value),
    level,
    meta: { solution, steps, distractors, seed, index },
  };
}

function drawStep(value: number, rng: () => number, between: (lo: number, hi: number) => number): SyntheticStep {
  const options: { operation: Operation; operands: () => number }[] = [];
  if (value + 2 <= MAX_VALUE) options.push({ operation: "add", operands: () => between(2, Math.min(MAX_OPERAND, MAX_VALUE - value)) });
  if (value >= 3) options.push({ operation: "sub", operands: () => between(1, Math.min(MAX_OPERAND, value - 1)) });
  if (value >= 2 && value * 2 <= MAX_VALUE) options.push({ operation: "mul", operands: () => between(2, Math.min(5, Math.floor(MAX_VALUE / value))) });
  const divisors = [2, 3, 4, 5, 6, 7, 8, 9].filter((d) => value % d === 0 && value / d >= 2);
  if (divisors.length > 0) options.push({ operation: "div", operands: () => divisors[Math.floor(rng() * divisors.length)]! });

  const total = options.reduce((sum, o) => sum + WEIGHTS[o.operation], 0);
  let r = rng() * total;
  let chosen = options[options.length - 1]!;
  for (const option of options) {
    r -= WEIGHTS[option.operation];
    if (r < 0) {
      chosen = option;
      break;
    }
  }
  const operand = chosen.operands();
  return { operation: chosen.operation, operand, before: value, after: apply(chosen.operation, value, operand) };
}

/** One arithmetic step of a synthetic problem. */
export function apply(operation: Operation, a: number, b: number): number {
  switch (operation) {
    case "add":
      return a + b;
    case "sub":
      return a - b;
    case "mul":
      return a * b;
    case "div":
      return a / b;
  }
}
