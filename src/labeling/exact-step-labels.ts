import { InvalidOptionError } from "../core/errors/invalid-option-error.js";
import type { Problem } from "../core/problem.js";
import { answerLine, apply, type SyntheticStep } from "../datasets/synthetic/generate-problem.js";
import { SYMBOLS, type Operation } from "../datasets/synthetic/lexicon.js";

/** Why a line of a solution is wrong, judged against the problem's own operations. */
export type StepError =
  /** Neither an equation `a op b = c` nor the answer line. */
  | "unparsable"
  /** An equation after the problem's last operation. */
  | "extra-step"
  /** Not the operation the question states at this point. */
  | "wrong-operation"
  /** The question's operand is not in the equation. */
  | "wrong-operand"
  /** The running count is not the previous line's result (the start count on the first line). */
  | "wrong-running-count"
  /** `a op b` is not `c`. */
  | "wrong-result"
  /** The answer line before every operation was applied. */
  | "early-answer"
  /** The answer line states a number other than the last result. */
  | "wrong-answer"
  /** Anything after the answer line. */
  | "after-answer";

/** Exact labels of one solution's lines. */
export interface ExactStepLabels {
  /** Per line: right on its own (PRM800K's step-wise notion): the question's next operation and operand, applied to the count the previous line left, with the right result; for the answer line, the last result once every operation is applied. */
  right: boolean[];
  /** Per line: 1 when this line and every line before it are right (the prefix can still reach the gold answer by right steps), else 0. The last line's label is 1 only for a wholly right solution. */
  labels: number[];
  /** Index of the first wrong line, or -1 when every line is right. */
  firstError: number;
  /** Per line: why it is wrong, or null when it is right. */
  errors: (StepError | null)[];
  /** Per line: the character offset of its first wrong character against the line expected there (the question's next operation on the previous line's result, or the answer line), or -1 when it is right. Token-level labels start from it. */
  errorAt: number[];
}

const EQUATION = /^\s*(-?\d+)\s*([-+*/])\s*(-?\d+)\s*=\s*(-?\d+)\s*$/;
const ANSWER = /^\s*The answer is (-?\d+)\s*$/;
const OPERATION_OF: Readonly<Record<string, Operation>> = Object.fromEntries(Object.entries(SYMBOLS).map(([op, symbol]) => [symbol, op as Operation]));

/**
 * Labels each line of a synthetic solution exactly, from the generator's own record of the problem
 * (`reference`: each operation, its operand and the running count before and after). The analogue of
 * PRM800K's human step labels, for the synthetic benchmark only. `a + b` and `a * b` may be written
 * either way round.
 * @example exactStepLabels(problem.meta.steps, ["12 + 7 = 19", "The answer is 19"]).labels // [1, 1] when the problem is "12, buys 7"
 */
export function exactStepLabels(reference: readonly SyntheticStep[], lines: readonly string[]): ExactStepLabels {
  const errors: (StepError | null)[] = [];
  const expected: string[] = [];
  let count = reference[0]?.before;
  let answered = false;
  lines.forEach((line, i) => {
    const step = reference[i];
    expected.push(answered ? "" : step ? `${count} ${SYMBOLS[step.operation]} ${step.operand} = ${apply(step.operation, count!, step.operand)}` : answerLine(count!));
    if (answered) return errors.push("after-answer");
    const answer = ANSWER.exec(line);
    if (answer) {
      answered = true;
      if (i < reference.length) return errors.push("early-answer");
      return errors.push(Number(answer[1]) === count ? null : "wrong-answer");
    }
    const equation = EQUATION.exec(line);
    if (!equation) return errors.push("unparsable");
    const [a, b, c] = [Number(equation[1]), Number(equation[3]), Number(equation[4])];
    const operation = OPERATION_OF[equation[2]!]!;
    const verdict = ((): StepError | null => {
      if (!step) return "extra-step";
      if (operation !== step.operation) return "wrong-operation";
      const commutes = operation === "add" || operation === "mul";
      // The running count and the question's operand, in the written order or (when it commutes) swapped.
      const [running, operand] = b === step.operand || !commutes ? [a, b] : [b, a];
      if (operand !== step.operand) return "wrong-operand";
      if (running !== count) return "wrong-running-count";
      return apply(operation, a, b) === c ? null : "wrong-result";
    })();
    // Later lines are judged against what this one stated, so one slip is one wrong line, not all after it.
    count = c;
    return errors.push(verdict);
  });
  const right = errors.map((e) => e === null);
  const firstError = right.indexOf(false);
  const labels = right.map((_, i) => (firstError === -1 || i < firstError ? 1 : 0));
  const errorAt = lines.map((line, i) => (right[i] ? -1 : firstDifference(line, expected[i]!)));
  return { right, labels, firstError, errors, errorAt };
}

/**
 * Exact labels for a synthetic problem (one made by `loadSynthetic`, which carries its operations in
 * `meta.steps`); any other problem is an error naming it.
 */
export function syntheticStepJudge(problem: Problem, lines: readonly string[]): ExactStepLabels {
  const steps = problem.meta?.["steps"];
  if (!Array.isArray(steps) || steps.length === 0 || !steps.every(isSyntheticStep)) {
    throw new InvalidOptionError({
      field: `meta.steps of problem ${problem.id}`,
      value: steps,
      accepted: "the synthetic generator's operations ({operation, operand, before, after} each); exact labels need a synthetic problem",
    });
  }
  return exactStepLabels(steps, lines);
}

function isSyntheticStep(s: unknown): s is SyntheticStep {
  const step = s as Partial<SyntheticStep> | null;
  return (
    typeof step === "object" && step !== null && typeof step.operation === "string" && step.operation in SYMBOLS &&
    typeof step.operand === "number" && typeof step.before === "number" && typeof step.after === "number"
  );
}

/** Index of the first character where `a` and `b` differ (the shorter one's length when it is a prefix of the other). */
function firstDifference(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

