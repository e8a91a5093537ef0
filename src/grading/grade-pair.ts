import { compareAnswers, type AnswersEqualOptions } from "./answers-equal.js";
import { extractAnswer } from "./extract-answer.js";
import { extractionPresets, type ExtractionOptions } from "./extraction-presets.js";

/** A gold/pred pair as graders' test suites write them, with the grader's own settings. */
export interface GradingCase {
  gold: string;
  pred: string;
  /** Which grader the label came from (Math-Verify's `compare_strings`, Hendrycks' `is_equiv`, ...). */
  comparator?: string;
  /** That grader's settings: Math-Verify's `match_types`, `precision`, `strict`, `allow_set_relation_comp`. */
  comparator_kwargs?: Record<string, unknown>;
}

/** What to extract the answers from before comparing them. */
export type ExtractFrom = "both" | "pred" | "none";

/** The outcome of grading one pair. */
export interface PairGrade {
  equal: boolean;
  /** The answers compared, after extraction; null when a text states no answer. */
  gold: string | null;
  pred: string | null;
  how: "compared" | "unparsed" | "timeout" | "no-answer";
  /** Wall time in milliseconds, extraction included. */
  ms: number;
}

/**
 * The settings under which a case's label was produced, as ponder options: Math-Verify's
 * `match_types` choose what extraction may take (`latex` only: formulas, no bare numbers), its
 * `precision`, `strict` and `allow_set_relation_comp` map to the options of the same meaning,
 * and Hendrycks' string grader compares unbracketed lists in order.
 */
export function caseSettings(c: GradingCase): { extraction: ExtractionOptions; options: AnswersEqualOptions } {
  const kw = c.comparator_kwargs ?? {};
  const types = Array.isArray(kw.match_types) ? kw.match_types.map(String) : ["latex", "expr"];
  const latex = types.includes("latex");
  const exprs = types.includes("expr");
  const extraction = latex && !exprs ? extractionPresets.latex : exprs && !latex ? extractionPresets.expr : extractionPresets.math;
  const options: AnswersEqualOptions = {};
  if (typeof kw.precision === "number") options.precision = kw.precision;
  if (typeof kw.strict === "boolean") options.strict = kw.strict;
  if (typeof kw.allow_set_relation_comp === "boolean") options.allowSetRelation = kw.allow_set_relation_comp;
  if (/is_equiv|hendrycks/i.test(c.comparator ?? "")) options.orderedLists = true;
  return { extraction, options };
}

/**
 * Extracts the final answers from `gold` and `pred` (as `from` says) and compares them.
 * Never throws.
 */
export function gradePair(gold: string, pred: string, { from = "both", extraction = extractionPresets.math, options = {} }: { from?: ExtractFrom; extraction?: ExtractionOptions; options?: AnswersEqualOptions } = {}): PairGrade {
  const started = performance.now();
  const g = from === "both" ? extractAnswer(gold, extraction) : gold;
  const p = from === "none" ? pred : extractAnswer(pred, extraction);
  if (g === null || p === null) return { equal: false, gold: g, pred: p, how: "no-answer", ms: performance.now() - started };
  const result = compareAnswers(g, p, options);
  return { equal: result.equal, gold: g, pred: p, how: result.how, ms: performance.now() - started };
}
