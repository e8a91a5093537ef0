import { matchAnswers } from "./compare-answers.js";
import type { CompareContext } from "./compare-context.js";
import { Deadline, DeadlineExceeded } from "./deadline.js";
import type { Answer } from "./math-node.js";
import { normalizeAnswerText } from "./normalize-answer-text.js";
import { parseAnswerCached } from "./parse-answer-cached.js";

/** How two final answers are compared. Every field is optional. */
export interface AnswersEqualOptions {
  /** Hard limit on one comparison in milliseconds; past it the answers count as different (default 1000). */
  timeoutMs?: number;
  /**
   * Round both numbers to this many decimal places before comparing (Math-Verify's
   * `float_rounding`). Unset (the default): exact values must match exactly, and a decimal
   * matches the exact value it is a rounding of (see `minApproxDigits`).
   */
  precision?: number;
  /** Significant digits a decimal answer needs to stand for an irrational or repeating gold value (default 4: 0.3333 for 1/3, not 0.33). */
  minApproxDigits?: number;
  /** Variable names must match (default true); false also accepts a consistent renaming (`f(y)` for `f(x)`), like Math-Verify's `strict=False`. */
  strict?: boolean;
  /** An inequality answer may match an interval gold (Math-Verify's `allow_set_relation_comp`, default false). An interval always matches an inequality gold. */
  allowSetRelation?: boolean;
  /** Unbracketed lists must be in the same order (default false: `1, 3` matches `3, 1`). Hendrycks' string grader behaves as if true. */
  orderedLists?: boolean;
  /** Seed of the random points at which expressions with free variables are compared (default 0). */
  seed?: number;
  /** Ask the computer-algebra system when numeric checks cannot decide (default true). */
  cas?: boolean;
}

/** The outcome of one comparison. */
export interface AnswerComparison {
  /** Whether the answers are the same. */
  equal: boolean;
  /** `compared` normally; `unparsed` when a side is no mathematics (then normalised strings were compared); `timeout` when the time limit cut the comparison short. */
  how: "compared" | "unparsed" | "timeout";
  /** Wall time of the comparison in milliseconds: its compute usage. */
  ms: number;
}

/**
 * Whether `pred` is the same final answer as `gold`. Never throws; false when the time limit
 * runs out. Both arguments are answers, not whole solutions: extract them first.
 * @example answersEqual("\\frac{1}{2}", "0.5") // true
 */
export function answersEqual(gold: string, pred: string, options: AnswersEqualOptions = {}): boolean {
  return compareAnswers(gold, pred, options).equal;
}

/** `answersEqual` with how the decision was reached and its cost. */
export function compareAnswers(gold: string, pred: string, options: AnswersEqualOptions = {}): AnswerComparison {
  const started = performance.now();
  const deadline = new Deadline(options.timeoutMs ?? 1000);
  const done = (equal: boolean, how: AnswerComparison["how"]): AnswerComparison => ({ equal, how, ms: performance.now() - started });
  try {
    if (typeof gold !== "string" || typeof pred !== "string") return done(false, "unparsed");
    const goldReadings = parseAnswerCached(gold);
    const predReadings = parseAnswerCached(pred);
    if (goldReadings.length === 0 || predReadings.length === 0) return done(sameText(gold, pred), "unparsed");
    const ctx = contextFor(options, deadline);
    return done(anyReadingMatches(goldReadings, predReadings, ctx), "compared");
  } catch (error) {
    if (error instanceof DeadlineExceeded) return done(false, "timeout");
    // A bug must not turn into a crash of a long evaluation: the pair just does not match.
    return done(false, "unparsed");
  }
}

export function contextFor(options: AnswersEqualOptions, deadline: Deadline): CompareContext {
  return {
    rules: { precision: options.precision, minApproxDigits: options.minApproxDigits ?? 4 },
    strict: options.strict ?? true,
    allowSetRelation: options.allowSetRelation ?? false,
    orderedLists: options.orderedLists ?? false,
    seed: options.seed ?? 0,
    useCas: options.cas ?? true,
    deadline,
  };
}

function anyReadingMatches(golds: Answer[], preds: Answer[], ctx: CompareContext): boolean {
  for (const g of golds) for (const p of preds) if (matchAnswers(g, p, ctx)) return true;
  return false;
}

function sameText(a: string, b: string): boolean {
  const key = (s: string) => normalizeAnswerText(s).replace(/\s+/g, "").toLowerCase();
  return key(a) !== "" && key(a) === key(b);
}
