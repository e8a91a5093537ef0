import { closeBrace } from "./latex-scan.js";

/** One `\boxed{...}` (or `\fbox{...}`) in a text. */
export interface BoxedSpan {
  /** Index of the backslash. */
  start: number;
  /** Index just past the closing brace (the end of the text when the group never closes). */
  end: number;
  /** What is inside the braces. */
  content: string;
}

const BOXED = /\\(?:boxed|fbox|framebox)(?![A-Za-z])\s*/g;

/** Every boxed answer in order of appearance; nested boxes are part of their outer box. */
export function findBoxed(text: string): BoxedSpan[] {
  const out: BoxedSpan[] = [];
  BOXED.lastIndex = 0;
  for (let m = BOXED.exec(text); m !== null; m = BOXED.exec(text)) {
    const open = m.index + m[0].length;
    if (text[open] === "{") {
      const end = closeBrace(text, open);
      // A box the text never closes (a cut-off generation) runs to the end of its line.
      const stop = end > 0 ? end : lineEnd(text, open);
      out.push({ start: m.index, end: stop, content: text.slice(open + 1, end > 0 ? end - 1 : stop) });
    } else {
      // "\boxed 5": TeX takes the next token.
      const token = /^(?:\\[A-Za-z]+|-?\d+(?:\.\d+)?|\S)/.exec(text.slice(open));
      if (!token) continue;
      out.push({ start: m.index, end: open + token[0].length, content: token[0] });
    }
    BOXED.lastIndex = out[out.length - 1]!.end;
  }
  return out;
}

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf("\n", from);
  return nl < 0 ? text.length : nl;
}

/**
 * The final boxed answer: the last box, together with the boxes just before it when only
 * separators stand between them ("\boxed{-2} and \boxed{1}" states both roots). Null when the
 * text has no box.
 */
export function lastBoxedGroup(text: string): { start: number; end: number; contents: string[] } | null {
  const boxes = findBoxed(text);
  if (boxes.length === 0) return null;
  let first = boxes.length - 1;
  while (first > 0 && isSeparator(text.slice(boxes[first - 1]!.end, boxes[first]!.start))) first--;
  const group = boxes.slice(first);
  return { start: group[0]!.start, end: group[group.length - 1]!.end, contents: group.map((b) => b.content) };
}

function isSeparator(between: string): boolean {
  const cleaned = between
    .replace(/\\text\s*\{([^{}]*)\}/g, " $1 ")
    .replace(/\\(?:quad|qquad|,|;|!|\[|\]|\(|\))|\$/g, " ");
  return /^[\s,;.+&]*(?:(?:and|or)[\s,;.]*)?$/i.test(cleaned);
}

/** The contents of every box in the text, in order (Math-Verify's boxed="all"); empty when there is none. */
export function allBoxed(text: string): string[] {
  return findBoxed(text).map((b) => b.content.trim()).filter((c) => c !== "");
}
