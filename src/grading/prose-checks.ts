import { parseAnswerCached } from "./parse-answer-cached.js";

/** Parses as an answer and is not prose. */
export function plausible(candidate: string): boolean {
  return !isProse(candidate) && parseAnswerCached(candidate).length > 0;
}

/** A delimited formula is an answer as written even when it does not parse; it must not be prose. */
export function plausibleFormula(inner: string): boolean {
  return inner !== "" && !isProse(inner);
}

/**
 * Prose rather than an answer: two words in a row before the first digit or formula ("so the
 * total is 5"), or more than three words in all. Words inside \text{} and command names do not count.
 */
export function isProse(candidate: string): boolean {
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

/** Short prose that can be a final answer by itself: "There is no solution", "Devon", "no". */
export function textAnswer(candidate: string): boolean {
  const t = candidate.trim();
  return t.length > 0 && t.length <= 100 && !/\d/.test(t) && /[A-Za-z]{2,}/.test(t) && !/[{}$\\]/.test(t.replace(/\\text\s*\{[^{}]*\}/g, ""));
}

/** "$n$" mentions a variable; it is no answer of its own. */
export function isBareName(inner: string): boolean {
  return /^\\?[A-Za-z]+(?:_\{?\w+\}?)?$/.test(inner) && !/^[A-E]$/.test(inner);
}

/** Words any English solution uses; a text with many words and none of these is no language. */
const COMMON = new Set(
  ("the a an is are was were be been so of and to in that it for with this then has have had we you he she they his her their " +
    "total answer each there which from on by at as will can get find therefore thus hence let since if not number solution " +
    "so there's it's what how many much more less equals equal per cost costs left gives value sum")
    .split(" "),
);

/**
 * No answer stands in a text that is no language: three or more words, none of them a common
 * English word ("asdf qwer 0.5 zxcv"). A stray number in such a text is not its answer. Texts
 * in other scripts have no Latin words and are not judged here.
 */
export function isGibberish(text: string, formulas: readonly { start: number; end: number }[]): boolean {
  let outside = "";
  let last = 0;
  for (const f of formulas) {
    outside += text.slice(last, f.start) + " ";
    last = f.end;
  }
  outside += text.slice(last);
  const words = outside.match(/[A-Za-z]{2,}/g) ?? [];
  if (words.length < 3) return false;
  return !words.some((w) => COMMON.has(w.toLowerCase()));
}
