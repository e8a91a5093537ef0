import type { Formula } from "./find-formulas.js";
import { isBareName, plausibleFormula } from "./prose-checks.js";

/** A plain number in prose: 1,234.5, 3/4, 2√3 (as \sqrt{3} once normalised), \frac{1}{2}, 12%. */
const NUMBER = /(?<![A-Za-z0-9.^_\\{])-?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:[.,]\d+)?(?:\s*\/\s*\d+(?!\.\d))?(?:\s*\\sqrt\{\d+\}|\s*\\pi(?![A-Za-z]))?|\\sqrt\{\d+\}|\d*\\frac\{\d+\}\{\d+\})(?:\s*%)?(?!\d)/g;

/**
 * A number or formula that a preposition makes a condition of the sentence rather than its
 * result: "in 4 weeks", "for 3 days", "each of the 5 boxes", "at $2 each". "A total of 34"
 * is a result.
 */
const CONDITION = /\b(?:in|for|per|after|within|over|every|each|at|on|from|during|before|than|of)\s+(?:the\s+|a\s+|an\s+|these\s+|those\s+|its\s+|his\s+|her\s+|their\s+|another\s+|every\s+|each\s+)?\$?\s*$/i;
const RESULT_OF = /\b(?:total|sum|product|difference|quotient|value|result|answer|amount)\s+of\s+(?:the\s+)?\$?\s*$/i;

interface Span {
  start: number;
  end: number;
  answer: string;
}

/**
 * The final answer of a text with no anchor: it is stated in the last sentence that holds a
 * formula or number, and within that sentence it is the last one that is not a condition
 * ("He works 34 hours in 4 weeks" states 34). `mode` says which spans may count.
 */
export function finalSentenceAnswer(text: string, formulas: readonly Formula[], mode: "math-or-number" | "math" | "number"): string | null {
  const spans: Span[] = [];
  if (mode !== "number") {
    for (const f of formulas) if (plausibleFormula(f.inner) && !isBareName(f.inner)) spans.push({ start: f.start, end: f.end, answer: f.inner });
  }
  if (mode !== "math") {
    let k = 0;
    for (const m of text.matchAll(NUMBER)) {
      while (k < formulas.length && formulas[k]!.end <= m.index) k++;
      const inside = k < formulas.length && m.index >= formulas[k]!.start;
      if (!inside) spans.push({ start: m.index, end: m.index + m[0].length, answer: m[0].trim() });
    }
  }
  if (spans.length === 0) return null;
  spans.sort((a, b) => a.start - b.start);
  const last = spans[spans.length - 1]!;
  const from = sentenceStart(text, last.start, formulas);
  const inSentence = spans.filter((s) => s.start >= from);
  const results = inSentence.filter((s) => !isCondition(text, s.start));
  return (results.length > 0 ? results : inSentence)[(results.length > 0 ? results : inSentence).length - 1]!.answer;
}

function isCondition(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 40), start);
  return CONDITION.test(before) && !RESULT_OF.test(before);
}

/** Where the sentence holding `at` begins: after a newline or a full stop, ! or ? outside formulas. */
function sentenceStart(text: string, at: number, formulas: readonly Formula[]): number {
  let i = at - 1;
  let k = formulas.length - 1;
  const floor = Math.max(0, at - 2000);
  while (i >= floor) {
    while (k >= 0 && formulas[k]!.start > i) k--;
    if (k >= 0 && i < formulas[k]!.end) {
      i = formulas[k]!.start - 1;
      continue;
    }
    const c = text[i]!;
    if (c === "\n") return i + 1;
    if ((c === "." || c === "!" || c === "?") && /\s/.test(text[i + 1] ?? "")) return i + 1;
    i--;
  }
  return floor;
}
