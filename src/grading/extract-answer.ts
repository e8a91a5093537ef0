import { compareAnswers } from "./answers-equal.js";
import { allBoxed, lastBoxedGroup } from "./boxed-answers.js";
import { Deadline } from "./deadline.js";
import { effectiveTiers, extractionPresets, type AnchorName, type ExtractionOptions } from "./extraction-presets.js";
import { finalSentenceAnswer } from "./final-sentence.js";
import { findFormulas, type Formula } from "./find-formulas.js";
import { isGibberish, isProse, plausible, plausibleFormula, textAnswer } from "./prose-checks.js";
import { MAX_ANSWER_CHARS } from "./normalize-answer-text.js";
import { normalizeUnicodeMath } from "./unicode-math.js";

/** A final answer found in a text, and where it was found. */
export interface ExtractedAnswer {
  answer: string;
  /** The anchor or rule that found it: "boxed", "final-answer", "every box", "whole text", "last sentence", .... */
  source: string;
}

/** A place in a text that states an answer. */
interface Candidate {
  /** Where the anchor begins: among anchors of one tier, the last one in the text wins. */
  at: number;
  /** The answer as written. */
  text: string;
}

/** Texts longer than this are cut to their end before extraction: the answer is at the end. */
const MAX_TEXT = 200_000;

/** Characters at the end of a text where an unanchored answer is looked for. */
const TAIL = 6000;

/** Boxes beyond this many distinct ones are not read as the parts of one answer. */
const MAX_PARTS = 12;

/** Anchors whose content is the answer even when it is prose ("\boxed{There is no solution}"). */
const DEFINITIVE = new Set<AnchorName>(["boxed", "final-answer", "hash"]);

/**
 * The final answer a solution text states, or null when it states none (never a guess from
 * prose). Anchors are tried tier by tier (`\boxed{}` and "final answer is" first, then "The
 * answer is" and "Answer:", ...); a short text without anchors may be an answer by itself; the
 * fallback is the last sentence's result.
 * @example extractAnswer("... so the total is $\\boxed{42}$.") // "42"
 */
export function extractAnswer(text: string, options: ExtractionOptions = extractionPresets.math): string | null {
  return extractAnswers(text, options)[0]?.answer ?? null;
}

/**
 * Every answer a text may be stating, the most likely first: the anchored (or fallback)
 * answer, then, when the text has several boxes, all of them as one list (a multi-part answer
 * boxed part by part). Empty when the text states no answer.
 */
export function extractAnswers(text: string, options: ExtractionOptions = extractionPresets.math, deadline = new Deadline(1000)): ExtractedAnswer[] {
  if (typeof text !== "string") return [];
  const joinDistinct = (contents: string[]) => joinDistinctWithin(contents, deadline);
  const source = normalizeUnicodeMath(unescapeCommands(text.length > MAX_TEXT ? text.slice(-MAX_TEXT) : text));
  const boxes = effectiveTiers(options).some((tier) => tier.includes("boxed")) ? allBoxed(source) : [];
  const out: ExtractedAnswer[] = [];
  const add = (found: ExtractedAnswer | null) => {
    if (found && found.answer !== "" && !out.some((o) => o.answer === found.answer)) out.push(found);
  };
  if (options.boxes === "all" && boxes.length > 0) add({ answer: joinDistinct(boxes), source: "every box" });
  add(primaryAnswer(source, options, joinDistinct));
  // A few boxes may be the parts of one answer; dozens are working, not an answer.
  if (options.boxes === undefined && boxes.length > 1 && new Set(boxes).size <= MAX_PARTS) add({ answer: joinDistinct(boxes), source: "every box" });
  return out;
}

function primaryAnswer(source: string, options: ExtractionOptions, joinDistinct: (contents: string[]) => string): ExtractedAnswer | null {
  for (const tier of effectiveTiers(options)) {
    const found = tier.flatMap((name) => ANCHORS[name](source, joinDistinct).map((c) => ({ ...c, name }))).sort((a, b) => b.at - a.at);
    for (const candidate of found) {
      const answer = refine(candidate.text, DEFINITIVE.has(candidate.name));
      if (answer !== null) return { answer, source: candidate.name };
    }
  }
  if (options.wholeText && source.length <= 120 && !source.includes("\n")) {
    // A short text is its own answer only when at most one word stands outside formulas, after the mathematics (a unit).
    const whole = source.trim();
    const outside = withoutFormulas(whole, findFormulas(whole), " 0 ").replace(/\\[A-Za-z]+(?:\s*\{[^{}]*\})?/g, " ");
    const words = (outside.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !/^(?:and|or)$/i.test(w));
    const unitOnly = words.length === 0 || (words.length === 1 && /^[^A-Za-z]*\d/.test(outside));
    if (unitOnly && plausible(whole)) return { answer: whole, source: "whole text" };
  }
  if (options.fallback === "none") return null;
  // The last sentence is near the end: read only the end, from a line break where there is one.
  const tail = source.length <= TAIL ? source : source.slice(source.indexOf("\n", source.length - TAIL) + 1 || source.length - TAIL);
  const formulas = findFormulas(tail);
  if (isGibberish(tail, formulas)) return null;
  const answer = finalSentenceAnswer(tail, formulas, options.fallback);
  return answer === null ? null : { answer, source: "last sentence" };
}

/** The text with each formula replaced by `stand` (a placeholder that keeps its place). */
function withoutFormulas(text: string, formulas: Formula[], stand: string): string {
  let out = "";
  let last = 0;
  for (const f of formulas) {
    out += text.slice(last, f.start) + stand;
    last = f.end;
  }
  return out + text.slice(last);
}

type AnchorFinder = (text: string, joinDistinct: (contents: string[]) => string) => Candidate[];

const ANCHORS: Record<AnchorName, AnchorFinder> = {
  boxed: (text, join) => {
    const group = lastBoxedGroup(text);
    return group ? [{ at: group.start, text: join(group.contents) }] : [];
  },
  "final-answer": (text, join) => after(text, /final answer is\s*:?\s*/gi, join),
  "answer-is": (text, join) => after(text, /\b(?:the\s+)?answers?\s+(?:is|are|would be|will be)\s*:?\s*/gi, join),
  "answer-colon": (text, join) => after(text, /\banswer\s*:\s*/gi, join),
  hash: (text, join) => after(text, /####\s*/g, join),
  "a-colon": (text, join) => after(text, /^A:\s*/gm, join),
};

function after(text: string, anchor: RegExp, join: (contents: string[]) => string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of text.matchAll(anchor)) {
    const span = spanAt(text, m.index + m[0].length, join);
    if (span) out.push({ at: m.index, text: span });
  }
  return out;
}

/**
 * The answer that starts at `i`: a formula ($...$, \(...\), \[...\], several joined by "and"),
 * a box, or the rest of the sentence.
 */
function spanAt(text: string, i: number, joinDistinct: (contents: string[]) => string): string | null {
  const rest = text.slice(i, i + 400);
  const boxed = /^\s*\$*\s*\\(?:boxed|fbox)/.test(rest) ? lastBoxedGroup(rest.slice(0, sentenceEnd(rest, true))) : null;
  if (boxed) return joinDistinct(boxed.contents);
  const formulas = /^(?:(?:\$\$[^$]{1,400}\$\$|\$(?:\\\$|[^$\n]){1,400}\$|\\\([^\n]{0,400}?\\\)|\\\[[^]{0,400}?\\\])(?:\s*(?:,|,?\s*and|,?\s*or)\s*(?=[$\\]))?)+/.exec(rest);
  if (formulas) return formulas[0];
  const end = sentenceEnd(rest, false);
  const sentence = rest.slice(0, end).trim();
  return sentence === "" ? null : sentence;
}

/**
 * Boxes joined by "and" list several answers; the same answer boxed twice ("15 39/40, or
 * 639/40") is one. The comparisons share the extraction's time limit.
 */
function joinDistinctWithin(contents: string[], deadline: Deadline): string {
  const distinct: string[] = [];
  const seen = new Set<string>();
  for (const c of contents) {
    if (seen.has(c)) continue;
    seen.add(c);
    // Past the deadline the comparison that follows reports the timeout; stop comparing here.
    if (deadline.remaining() === 0) break;
    if (!distinct.some((d) => compareAnswers(d, c, { cas: false }, deadline).equal === true)) distinct.push(c);
  }
  return distinct.join(", ");
}

/** End of the sentence: a newline, "I hope", or a full stop that is no decimal point. */
function sentenceEnd(rest: string, wholeLine: boolean): number {
  const pattern = wholeLine ? /\n|I hope/ : /\n|I hope|\.(?!\d)(?=\s|$|\$|<)|<\|/;
  const m = pattern.exec(rest);
  return m ? m.index : rest.length;
}

/**
 * A usable answer from an anchored span: the span, else what follows its last "is" or "=",
 * else its last formula or first number. A definitive anchor (a box, "The final answer is")
 * whose content is a short phrase states that phrase: "There is no solution" is the answer,
 * and no number elsewhere in the text stands in for it.
 */
function refine(span: string, definitive: boolean): string | null {
  // Longer than any answer the parser reads: working, or a box never closed.
  if (span.length > MAX_ANSWER_CHARS) return null;
  const trimmed = span.trim().replace(/^[:\s]+/, "").replace(/^(?:\\?["'“”])+|(?:\\?["'“”])+$/g, "").trim();
  if (trimmed === "") return null;
  if (plausible(trimmed)) return trimmed;
  const is = /(?:\b(?:is|are|be)|=)\s+(?!.*(?:\b(?:is|are)\s|=\s))(.+)$/s.exec(trimmed);
  if (is && plausible(is[1]!.trim())) return is[1]!.trim();
  const formula = lastFormula(trimmed);
  if (formula) return formula;
  if (definitive && textAnswer(trimmed)) return trimmed;
  return firstNumber(trimmed);
}

function lastFormula(text: string): string | null {
  const all = findFormulas(text);
  for (let k = all.length - 1; k >= 0; k--) if (plausibleFormula(all[k]!.inner)) return all[k]!.inner;
  return null;
}

/** "\\frac" in over-escaped text (JSON written twice) is "\frac". */
export function unescapeCommands(text: string): string {
  return text.replace(/(^|[^\\])\\\\(?=[A-Za-z])/g, "$1\\");
}

function firstNumber(text: string): string | null {
  if (isProse(text) && !/\d/.test(text)) return null;
  const m = /(?<![A-Za-z0-9.^_\\])-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s*\/\s*\d+)?(?:\s*%)?/.exec(text);
  return m ? m[0] : null;
}
