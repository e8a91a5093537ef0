import { matchAnswers } from "./compare-answers.js";
import type { CompareContext } from "./compare-context.js";
import { Deadline, DeadlineExceeded } from "./deadline.js";
import { describeDifference } from "./describe-difference.js";
import { normalizeAnswerText, MAX_ANSWER_CHARS } from "./normalize-answer-text.js";
import { parseAnswerCached } from "./parse-answer-cached.js";
import { answerVariables, renamedAnswer, renamings } from "./rename-variables.js";
import type { Answer } from "./math-node.js";
import type { Rule } from "./compare-context.js";

/** How two final answers are compared. Every field is optional. */
export interface AnswersEqualOptions {
  /** Hard limit on one comparison in milliseconds (default 1000); past it the outcome is `timeout`, neither equal nor different. */
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
  /** An inequality answer may match an interval gold (default true; Math-Verify's `allow_set_relation_comp`, whose default is false). An interval always matches an inequality gold. */
  allowSetRelation?: boolean;
  /**
   * Unbracketed lists compare in order (true) or in any order (false). Unset (the default): in
   * order when the question asks for an order or the gold lists 3+ values out of sorted order,
   * in any order otherwise. Hendrycks' string grader behaves as if true.
   */
  orderedLists?: boolean;
  /** The question, when known: "in increasing order" or "all solutions" decide how lists compare. */
  question?: string;
  /** Seed of the random points at which expressions with free variables are compared (default 0). */
  seed?: number;
  /** Ask the computer-algebra system (in a worker thread, cut off at the time limit) when numeric checks cannot decide (default true). */
  cas?: boolean;
}

/** The outcome of one comparison. */
export interface AnswerComparison {
  /** Whether the answers are the same; null when it could not be decided (time limit, values beyond double range). */
  equal: boolean | null;
  /**
   * `compared` normally; `unparsed` when a side is no mathematics (then normalised strings were
   * compared); `timeout` when the time limit cut the comparison short; `unknown` when it ended
   * without a decision.
   */
  how: "compared" | "unparsed" | "timeout" | "unknown";
  /** The rule that decided: "same exact value", "list in any order (...) > ...", "timeout", .... */
  reason: string;
  /** Wall time of the comparison in milliseconds: its compute usage. */
  ms: number;
}

/**
 * Whether `pred` is the same final answer as `gold`. Never throws; false when undecided (see
 * `compareAnswers` for the three outcomes). Both arguments are answers, not whole solutions:
 * extract them first.
 * @example answersEqual("\\frac{1}{2}", "0.5") // true
 */
export function answersEqual(gold: string, pred: string, options: AnswersEqualOptions = {}): boolean {
  return compareAnswers(gold, pred, options).equal === true;
}

/** Whether `pred` is the same answer as `gold`, how that was decided, and its cost. Never throws. */
export function compareAnswers(gold: string, pred: string, options: AnswersEqualOptions = {}, deadline?: Deadline): AnswerComparison {
  const started = performance.now();
  const clock = deadline ?? new Deadline(options.timeoutMs ?? 1000);
  const done = (equal: boolean | null, how: AnswerComparison["how"], reason: string): AnswerComparison => ({ equal, how, reason, ms: performance.now() - started });
  try {
    if (typeof gold !== "string" || typeof pred !== "string") return done(false, "unparsed", "not text");
    const goldReadings = parseAnswerCached(gold);
    const predReadings = parseAnswerCached(pred);
    clock.checkNow();
    if (goldReadings.length === 0 || predReadings.length === 0) {
      const same = sameText(gold, pred);
      return done(same, "unparsed", same ? "same text (unparsed)" : `${goldReadings.length === 0 ? "gold" : "pred"} is no mathematics; texts differ`);
    }
    const ctx = contextFor(options, clock);
    for (const g of goldReadings) {
      for (const p of predReadings) {
        const rule = matchAnswers(g, p, ctx);
        if (rule) return done(true, "compared", rule);
      }
    }
    if (!ctx.strict) {
      for (const g of goldReadings) {
        for (const p of predReadings) {
          const rule = renamedMatch(g, p, ctx);
          if (rule) return done(true, "compared", rule);
        }
      }
    }
    if (ctx.unknown) return done(null, "unknown", ctx.unknown);
    return done(false, "compared", describeDifference(goldReadings[0]!, predReadings[0]!, ctx));
  } catch (error) {
    if (error instanceof DeadlineExceeded) return done(null, "timeout", "timeout");
    // A bug must not turn into a crash of a long evaluation: the pair just does not match.
    return done(false, "unparsed", `internal error: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function contextFor(options: AnswersEqualOptions, deadline: Deadline): CompareContext {
  return {
    rules: { precision: options.precision, minApproxDigits: options.minApproxDigits ?? 4 },
    strict: options.strict ?? true,
    allowSetRelation: options.allowSetRelation ?? true,
    orderedLists: options.orderedLists,
    question: options.question,
    seed: options.seed ?? 0,
    useCas: options.cas ?? true,
    deadline,
    unknown: null,
    orderRule: null,
  };
}

function sameText(a: string, b: string): boolean {
  if (a.length > MAX_ANSWER_CHARS || b.length > MAX_ANSWER_CHARS) return a === b && a.trim() !== "";
  const key = (s: string) => normalizeAnswerText(s).replace(/\s+/g, "").toLowerCase();
  return key(a) !== "" && key(a) === key(b);
}

/** With `strict` off, `f(y) = y^2` matches `f(x) = x^2`: one renaming of pred's variables onto gold's, applied to the whole answer. */
function renamedMatch(gold: Answer, pred: Answer, ctx: CompareContext): Rule {
  const goldVars = [...answerVariables(gold)].sort();
  const predVars = [...answerVariables(pred)].sort();
  for (const mapping of renamings(goldVars, predVars)) {
    const rule = matchAnswers(gold, renamedAnswer(pred, mapping), ctx);
    if (rule) return `equal after renaming variables (${[...mapping].filter(([a, b]) => a !== b).map(([a, b]) => `${a} → ${b}`).join(", ")}; strict off) > ${rule}`;
  }
  return null;
}
