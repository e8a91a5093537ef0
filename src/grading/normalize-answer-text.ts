import { replaceCommandGroups } from "./latex-scan.js";
import { writeRepeatingDecimals } from "./repeating-decimals.js";
import { normalizeUnicodeMath } from "./unicode-math.js";

/** Stands for an explicit thousands separator (`{,}`, `,\!`, `\,`) once normalised. */
export const THOUSANDS_MARK = "\uE000";

/** Answers longer than this are not parsed (they are whole solutions, or garbage). */
export const MAX_ANSWER_CHARS = 2000;

const UNICODE: [RegExp, string][] = [
  [/[\u2212\u2013\u2014]/g, "-"],
  [/×/g, "\\times "],
  [/[·⋅]/g, "\\cdot "],
  [/÷/g, "\\div "],
  [/≤/g, "\\le "],
  [/≥/g, "\\ge "],
  [/≠/g, "\\ne "],
  [/≈/g, "\\approx "],
  [/∞/g, "\\infty "],
  [/π/g, "\\pi "],
  [/±/g, "\\pm "],
  [/∓/g, "\\mp "],
  [/∪/g, "\\cup "],
  [/∩/g, "\\cap "],
  [/∈/g, "\\in "],
  [/²/g, "^2"],
  [/³/g, "^3"],
  [/[\u00a0\u2009\u202f]/g, " "],
  [/[‘’]/g, "'"],
  [/[€£¥₹₽₩]/g, ""],
];

const TEXT_WRAPPERS = ["text", "textbf", "textit", "textrm", "textnormal", "textsf", "texttt", "mbox", "hbox", "textup", "emph"];
const STYLE_WRAPPERS = ["mathbf", "mathit", "boldsymbol", "bm", "mathsf", "mathcal", "mathbb", "vec", "overline", "overrightarrow", "hat", "widehat", "bar", "tilde", "underline"];

/**
 * String-level clean-up of one extracted answer: math delimiters, sizing and spacing commands,
 * fraction variants, style wrappers, degree, percent and currency marks, and explicit thousands
 * separators become one spelling each, so the tokenizer sees a small language.
 */
export function normalizeAnswerText(raw: string): string {
  let s = raw;
  // Over-escaped source ("\\frac" for "\frac") is common in JSON-encoded model outputs.
  s = s.replace(/(^|[^\\])\\\\(?=[A-Za-z])/g, "$1\\");
  s = s.replace(/\\n(?![a-z])/g, " ");
  s = normalizeUnicodeMath(s);
  for (const [re, to] of UNICODE) s = s.replace(re, to);
  s = writeRepeatingDecimals(s);
  // Scientific notation: "1.5e3" is 1.5 × 10^3 (a letter before it makes it a name, as in "x2e3").
  s = s.replace(/(?<![A-Za-z\d.])(\d+(?:\.\d+)?)[eE]([+-]?\d{1,4})(?![\d.A-Za-z])/g, "$1\\times 10^{$2}");
  s = s.replace(/\\\$/g, " ").replace(/\$/g, " ");
  s = s.replace(/\\[[\]()]/g, " ");
  s = s.replace(/\\(?:left|right|bigl|bigr|Bigl|Bigr|biggl|biggr|bigg|Bigg|big|Big)(?![A-Za-z])\s*\.?/g, "");
  s = s.replace(/\s*\{\s*,\s*\}\s*/g, THOUSANDS_MARK);
  s = s.replace(/(\d),\s*\\!\s*(?=\d)/g, `$1${THOUSANDS_MARK}`);
  s = s.replace(/(\d)\\[,!](?=\d{3}(?!\d))/g, `$1${THOUSANDS_MARK}`);
  s = s.replace(/(?<!\\)\\(?:[,;:! ]|quad|qquad|enspace|thinspace|medspace|thickspace|negthinspace)(?![A-Za-z])/g, " ");
  s = s.replace(/\\[hv]space\*?\s*\{[^}]*\}/g, " ").replace(/~/g, " ");
  s = s.replace(/\\[dtc]frac(?![A-Za-z])/g, "\\frac").replace(/\\[dt]binom(?![A-Za-z])/g, "\\binom");
  s = s.replace(/\\(?:displaystyle|textstyle|scriptstyle|limits|nolimits)(?![A-Za-z])/g, " ");
  s = replaceCommandGroups(s, ["boxed", "fbox", "framebox"], (inside) => ` ${inside} `);
  s = replaceCommandGroups(s, STYLE_WRAPPERS, (inside) => `{${inside}}`);
  s = replaceCommandGroups(s, ["operatorname"], (inside) => `\\${inside.replace(/[^A-Za-z]/g, "")} `);
  s = replaceCommandGroups(s, ["mathrm"], (inside) => (/^[A-Za-z]$/.test(inside.trim()) ? inside : `\\text{${inside}}`));
  s = replaceCommandGroups(s, TEXT_WRAPPERS, (inside) => `\\text{${inside.replace(/[{}]/g, "")}}`);
  s = s.replace(/\^\s*\{\s*\\circ\s*\}|\^\s*\\circ|\\circ|\^\s*\{\s*\\degree\s*\}|\\degree|°/g, "°");
  s = s.replace(/\\%/g, "%");
  s = s.replace(/\\(?:infin|infinity)(?![A-Za-z])/g, "\\infty");
  // "\angle ABC = 30°" names the angle by its letters: the letters are the name.
  s = s.replace(/\\(?:angle|measuredangle|triangle|overarc)(?![A-Za-z])\s*/g, " ");
  s = s.replace(/\s+/g, " ").trim();
  s = s.replace(/^[\s,;:]+|^\.(?!\d)|[\s.,;:]+$/g, "").replace(/(?:\\\\\s*)+$/, "").trim();
  if (/^-?\d{1,3}(?: \d{3})+(?:\.\d+)?$/.test(s)) s = s.replace(/ /g, "");
  return s;
}
