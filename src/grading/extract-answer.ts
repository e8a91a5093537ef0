import { answersEqual } from "./answers-equal.js";
import { lastBoxedGroup } from "./boxed-answers.js";
import { extractionPresets, type ExtractionOptions, type AnchorName } from "./extraction-presets.js";
import { parseAnswerCached } from "./parse-answer-cached.js";

/** A place in a text that states an answer. */
interface Candidate {
  /** Where the anchor begins: among anchors of one tier, the last one in the text wins. */
  at: number;
  /** The answer as written. */
  text: string;
}

/** Texts longer than this are cut to their end before extraction: the answer is at the end. */
const MAX_TEXT = 200_000;

/**
 * The final answer a solution text states, or null when it states none (never a guess from
 * prose). Anchors are tried tier by tier (`\boxed{}` and "final answer is" first, then "The
 * answer is" and "Answer:", ...); a short text without anchors may be an answer by itself; the
 * fallback is the last formula or number.
 * @example extractAnswer("... so the total is $\\boxed{42}$.") // "42"
 */
export function extractAnswer(text: string, options: ExtractionOptions = extractionPresets.math): string | null {
  if (typeof text !== "string") return null;
  const source = unescapeCommands(text.length > MAX_TEXT ? text.slice(-MAX_TEXT) : text);
  for (const tier of options.tiers) {
    const found = tier.flatMap((name) => ANCHORS[name](source)).sort((a, b) => b.at - a.at);
    for (const candidate of found) {
      const answer = refine(candidate.text);
      if (answer !== null) return answer;
    }
  }
  if (options.wholeText && source.length <= 120 && !source.includes("\n")) {
    // A short text is its own answer only when at most one word (a unit) stands outside formulas.
    const whole = source.trim();
    const words = whole.replace(FORMULA, " ").replace(/\\[A-Za-z]+(?:\s*\{[^{}]*\})?/g, " ").match(/[A-Za-z]{3,}/g) ?? [];
    if (words.length <= 1 && plausible(whole)) return whole;
  }
  return fallback(source, options.fallback);
}

type AnchorFinder = (text: string) => Candidate[];

const ANCHORS: Record<AnchorName, AnchorFinder> = {
  boxed: (text) => {
    const group = lastBoxedGroup(text);
    return group ? [{ at: group.start, text: joinDistinct(group.contents) }] : [];
  },
  "final-answer": (text) => after(text, /final answer is\s*:?\s*/gi),
  "answer-is": (text) => after(text, /\b(?:the\s+)?answers?\s+(?:is|are|would be|will be)\s*:?\s*/gi),
  "answer-colon": (text) => after(text, /\banswer\s*:\s*/gi),
  hash: (text) => after(text, /####\s*/g),
  "a-colon": (text) => after(text, /^A:\s*/gm),
};

function after(text: string, anchor: RegExp): Candidate[] {
  const out: Candidate[] = [];
  for (const m of text.matchAll(anchor)) {
    const span = spanAt(text, m.index + m[0].length);
    if (span) out.push({ at: m.index, text: span });
  }
  return out;
}

/**
 * The answer that starts at `i`: a formula ($...$, \(...\), \[...\], several joined by "and"),
 * a box, or the rest of the sentence.
 */
function spanAt(text: string, i: number): string | null {
  const rest = text.slice(i, i + 400);
  const boxed = /^\s*\$*\s*\\(?:boxed|fbox)/.test(rest) ? lastBoxedGroup(rest.slice(0, sentenceEnd(rest, true))) : null;
  if (boxed) return joinDistinct(boxed.contents);
  const formulas = /^(?:(?:\$\$[^$]+\$\$|\$(?:\\\$|[^$\n])+\$|\\\([^\n]*?\\\)|\\\[[^]*?\\\])(?:\s*(?:,|,?\s*and|,?\s*or)\s*(?=[$\\]))?)+/.exec(rest);
  if (formulas) return formulas[0];
  const end = sentenceEnd(rest, false);
  const sentence = rest.slice(0, end).trim();
  return sentence === "" ? null : sentence;
}

/** Boxes joined by "and" list several answers; the same answer boxed twice ("15 39/40, or 639/40") is one. */
function joinDistinct(contents: string[]): string {
  const distinct: string[] = [];
  for (const c of contents) if (!distinct.some((d) => answersEqual(d, c, { timeoutMs: 200, cas: false }))) distinct.push(c);
  return distinct.join(", ");
}

/** End of the sentence: a newline, "I hope", or a full stop that is no decimal point. */
function sentenceEnd(rest: string, wholeLine: boolean): number {
  const pattern = wholeLine ? /\n|I hope/ : /\n|I hope|\.(?!\d)(?=\s|$|\$|<)|<\|/;
  const m = pattern.exec(rest);
  return m ? m.index : rest.length;
}

/** A usable answer from an anchored span: the span, else what follows its last "is", else its last formula or first number. */
function refine(span: string): string | null {
  const trimmed = span.trim().replace(/^[:\s]+/, "").replace(/^(?:\\?["'“”])+|(?:\\?["'“”])+$/g, "").trim();
  if (plausible(trimmed)) return trimmed;
  const is = /\b(?:is|are|be|=)\s+(?!.*\b(?:is|are)\s)(.+)$/s.exec(trimmed);
  if (is && plausible(is[1]!.trim())) return is[1]!.trim();
  return lastFormula(trimmed) ?? firstNumber(trimmed);
}

/** Parses as an answer and is not prose. */
export function plausible(candidate: string): boolean {
  return !isProse(candidate) && parseAnswerCached(candidate).length > 0;
}

/**
 * Prose rather than an answer: two words in a row before the first digit or formula ("so the
 * total is 5"), or more than three words in all. Words inside \text{} and command names do not count.
 */
function isProse(candidate: string): boolean {
  if (candidate === "" || candidate.length > 1000) return true;
  const outside = candidate
    .replace(/\\(?:begin|end)\s*\{[^{}]*\}/g, " ")
    .replace(/\\(?:text|textbf|mbox|mathrm|textnormal|operatorname)\s*\{[^{}]*\}/g, " ")
    .replace(/\\[A-Za-z]+/g, " ");
  const words = (outside.match(/[A-Za-z]{3,}/g) ?? []).filter((w) => !/^(and|or|pi|sqrt|frac|sin|cos|tan|log|exp)$/i.test(w));
  // Letters glued to a following digit ("AZYUK2A") are a code or a garble, not mathematics.
  if (words.length > 3 || /[A-Za-z]{2,}\d/.test(outside)) return true;
  const lead = outside.split(/[\d$]/)[0]!;
  return /[A-Za-z]{2,}\s+[A-Za-z]{2,}/.test(lead.replace(/\b(?:and|or)\b/gi, " , "));
}

const FORMULA = /\$\$([^$]+)\$\$|\$((?:\\\$|[^$\n])+)\$|\\\(([^\n]*?)\\\)|\\\[([^]*?)\\\]/g;
const NUMBER = /(?<![A-Za-z0-9.^_\\])-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:[.,]\d+)?(?:\s*\/\s*\d+(?!\.\d))?(?:\s*%)?(?![\d])/g;

function lastFormula(text: string): string | null {
  const all = [...text.matchAll(FORMULA)];
  for (let k = all.length - 1; k >= 0; k--) {
    const inner = formulaInside(all[k]!);
    if (plausibleFormula(inner)) return inner;
  }
  return null;
}

function formulaInside(m: RegExpMatchArray): string {
  return m.slice(1).find((g) => g !== undefined)!.trim();
}

/** A delimited formula is an answer as written even when it does not parse; it must not be prose. */
function plausibleFormula(inner: string): boolean {
  return inner !== "" && !isProse(inner);
}

/** "\\frac" in over-escaped text (JSON written twice) is "\frac". */
export function unescapeCommands(text: string): string {
  return text.replace(/(^|[^\\])\\\\(?=[A-Za-z])/g, "$1\\");
}

function firstNumber(text: string): string | null {
  const m = text.match(NUMBER);
  return m ? m[0] : null;
}

function fallback(text: string, mode: ExtractionOptions["fallback"]): string | null {
  if (mode === "none") return null;
  const formulas = mode === "number" ? [] : [...text.matchAll(FORMULA)];
  const numbers = mode === "math" ? [] : [...text.matchAll(NUMBER)];
  // The answer comes last: take whichever of the last formula and the last number ends later.
  let k = formulas.length - 1;
  let n = numbers.length - 1;
  while (k >= 0 || n >= 0) {
    const f = formulas[k];
    const num = numbers[n];
    const fEnd = f ? f.index + f[0].length : -1;
    const nEnd = num ? num.index + num[0].length : -1;
    if (fEnd >= nEnd && f) {
      k--;
      const inner = formulaInside(f);
      if (plausibleFormula(inner) && !isBareName(inner)) return inner;
    } else if (num) {
      n--;
      if (!insideFormula(num.index, formulas)) return num[0].trim();
    }
  }
  return null;
}

/** "$n$" mentions a variable; it is no answer of its own. */
function isBareName(inner: string): boolean {
  return /^\\?[A-Za-z]+(?:_\{?\w+\}?)?$/.test(inner) && !/^[A-E]$/.test(inner);
}

function insideFormula(index: number, formulas: RegExpMatchArray[]): boolean {
  return formulas.some((f) => index >= f.index! && index < f.index! + f[0].length);
}
