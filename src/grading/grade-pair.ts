import { compareAnswers, type AnswersEqualOptions } from "./answers-equal.js";
import { Deadline } from "./deadline.js";
import { extractAnswers, type ExtractedAnswer } from "./extract-answer.js";
import { extractionPresets, type ExtractionOptions } from "./extraction-presets.js";

/** A gold/pred pair as graders' test suites write them, with the grader's own settings. */
export interface GradingCase {
  gold: string;
  pred: string;
  /** Which grader the label came from (Math-Verify's `compare_strings`, Hendrycks' `is_equiv`, ...). */
  comparator?: string;
  /** That grader's settings: Math-Verify's `match_types`, `precision`, `strict`, `allow_set_relation_comp`, `boxed_match_priority`. */
  comparator_kwargs?: Record<string, unknown>;
}

/** What to extract the answers from before comparing them. */
export type ExtractFrom = "both" | "pred" | "none";

/** The outcome of grading one pair. */
export interface PairGrade {
  /** Whether the answers are the same; null when undecided (time limit, values beyond double range). */
  equal: boolean | null;
  /** The answers compared, after extraction; null when a text states no answer. */
  gold: string | null;
  pred: string | null;
  how: "compared" | "unparsed" | "timeout" | "unknown" | "no-answer";
  /** The rule that decided, with where the answers were found when that was not the obvious place. */
  reason: string;
  /** Wall time in milliseconds, extraction included. */
  ms: number;
}

/**
 * The settings under which a case's label was produced, as ponder options: Math-Verify's
 * `match_types` choose what extraction may take (`latex` only: formulas, no bare numbers), its
 * `boxed_match_priority` where boxes rank, its `precision`, `strict` and `allow_set_relation_comp`
 * map to the options of the same meaning (Math-Verify's default for the last is false), and
 * Hendrycks' string grader compares unbracketed lists in order.
 */
export function caseSettings(c: GradingCase): { extraction: ExtractionOptions; options: AnswersEqualOptions } {
  const kw = c.comparator_kwargs ?? {};
  const types = Array.isArray(kw.match_types) ? kw.match_types.map(String) : ["latex", "expr"];
  const latex = types.includes("latex");
  const exprs = types.includes("expr");
  let extraction: ExtractionOptions = latex && !exprs ? extractionPresets.latex : exprs && !latex ? extractionPresets.expr : extractionPresets.math;
  const mathVerify = /compare_strings|math.?verify/i.test(c.comparator ?? "");
  // Math-Verify extracts one answer: the last box and those joined to it.
  if (mathVerify) extraction = { ...extraction, boxes: "last" };
  if (typeof kw.boxed_match_priority === "number") extraction = { ...extraction, boxedMatchPriority: kw.boxed_match_priority };
  const options: AnswersEqualOptions = {};
  if (typeof kw.precision === "number") options.precision = kw.precision;
  if (typeof kw.strict === "boolean") options.strict = kw.strict;
  if (typeof kw.allow_set_relation_comp === "boolean") options.allowSetRelation = kw.allow_set_relation_comp;
  else if (mathVerify) options.allowSetRelation = false;
  if (/is_equiv|hendrycks/i.test(c.comparator ?? "")) options.orderedLists = true;
  return { extraction, options };
}

/**
 * Extracts the final answers from `gold` and `pred` (as `from` says) and compares them, all
 * within one time limit (`options.timeoutMs`, default 1000 ms). When a text states more than
 * one candidate answer (several boxes: the last and all of them), any pair that matches decides.
 * Never throws.
 */
export function gradePair(
  gold: string,
  pred: string,
  { from = "both", extraction = extractionPresets.math, options = {} }: { from?: ExtractFrom; extraction?: ExtractionOptions; options?: AnswersEqualOptions } = {},
): PairGrade {
  const started = performance.now();
  const deadline = new Deadline(options.timeoutMs ?? 1000);
  const golds: ExtractedAnswer[] = from === "both" ? extractAnswers(gold, extraction, deadline) : [{ answer: gold, source: "given" }];
  const preds: ExtractedAnswer[] = from === "none" ? [{ answer: pred, source: "given" }] : extractAnswers(pred, extraction, deadline);
  const ms = () => performance.now() - started;
  if (deadline.remaining() === 0) return { equal: null, gold: golds[0]?.answer ?? null, pred: preds[0]?.answer ?? null, how: "timeout", reason: "timeout", ms: ms() };
  if (golds.length === 0 || preds.length === 0) {
    const reason = `${golds.length === 0 ? "gold" : "pred"} states no answer`;
    return { equal: false, gold: golds[0]?.answer ?? null, pred: preds[0]?.answer ?? null, how: "no-answer", reason, ms: ms() };
  }
  let first: PairGrade | null = null;
  let undecided: PairGrade | null = null;
  for (const g of golds) {
    for (const p of preds) {
      const result = compareAnswers(g.answer, p.answer, options, deadline);
      const grade: PairGrade = { equal: result.equal, gold: g.answer, pred: p.answer, how: result.how, reason: withSources(result.reason, g, p), ms: 0 };
      if (result.equal === true) return { ...grade, ms: ms() };
      first ??= grade;
      if (result.equal === null) undecided ??= grade;
      if (result.how === "timeout") return { ...grade, ms: ms() };
    }
  }
  return { ...(undecided ?? first!), ms: ms() };
}

/** "every box" and other less obvious places the answers came from, ahead of the rule. */
function withSources(reason: string, g: ExtractedAnswer, p: ExtractedAnswer): string {
  const notes = [g, p].map((x, i) => (x.source === "every box" ? `${i === 0 ? "gold" : "pred"}: every box` : null)).filter((n) => n !== null);
  return notes.length > 0 ? `${notes.join(", ")} > ${reason}` : reason;
}
