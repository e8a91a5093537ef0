/**
 * Mathematics typed in Unicode, rewritten in the LaTeX the rest of the grader reads: `√3`,
 * `2½`, `𝑥²`, `x₁`, full-width digits `１２３`, `∛8`. Text without non-ASCII characters is
 * returned as it is, so the common case costs one test.
 */
export function normalizeUnicodeMath(text: string): string {
  if (!NON_ASCII.test(text) || !TRIGGER.test(text)) return text;
  let s = text.replace(COMPATIBILITY, (c) => c.normalize("NFKC"));
  s = s.replace(/[⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁽⁾ⁿⁱ]+/g, (run) => `^{${[...run].map((c) => SUPERSCRIPTS[c]).join("")}}`);
  s = s.replace(/[₀₁₂₃₄₅₆₇₈₉₊₋]+/g, (run) => `_{${[...run].map((c) => SUBSCRIPTS[c]).join("")}}`);
  s = s.replace(/(\d?)\s*([½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅐⅛⅜⅝⅞⅑⅒])/g, (_m, whole: string, c: string) => `${whole}\\frac{${VULGAR[c]![0]}}{${VULGAR[c]![1]}}`);
  s = s.replace(/(\d+)\s*⁄\s*(\d+)/g, "$1/$2");
  // A root sign covers the number or letter right after it (√12 is √(12), not √1·2); a bracket it leaves to the parser.
  s = s.replace(/([√∛∜])\s*(\d+(?:\.\d+)?|[A-Za-z](?![A-Za-z])|\\[A-Za-z]+)?/g, (_m, sign: string, arg: string | undefined) => {
    const command = sign === "√" ? "\\sqrt" : sign === "∛" ? "\\sqrt[3]" : "\\sqrt[4]";
    return arg === undefined ? command : `${command}{${arg}}`;
  });
  for (const [from, to] of SYMBOLS) s = s.replace(from, to);
  return s;
}

const NON_ASCII = /[^\x00-\x7F]/;

/** Any character rewritten below; most non-ASCII text (quotes, dashes, letters of other scripts) has none. */
const TRIGGER = /[\uFF01-\uFF5E\u3000⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁽⁾ⁿⁱ₀₁₂₃₄₅₆₇₈₉₊₋½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅐⅛⅜⅝⅞⅑⅒⁄√∛∜∙•∗∕≦⩽≧⩾∶′∣ℎℯℊℓℴ]|[\u{1D400}-\u{1D7FF}]/u;

/** Full-width forms, mathematical alphanumerics (𝑥, 𝐀, 𝟑) and the letterlike ℎ: NFKC maps them to plain letters and digits. */
const COMPATIBILITY = /[\uFF01-\uFF5E\u3000]|[\u{1D400}-\u{1D7FF}]|[ℎℯℊℓℴ]/gu;

const SUPERSCRIPTS: Record<string, string> = {
  "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9", "⁺": "+", "⁻": "-", "⁽": "(", "⁾": ")", "ⁿ": "n", "ⁱ": "i",
};

const SUBSCRIPTS: Record<string, string> = {
  "₀": "0", "₁": "1", "₂": "2", "₃": "3", "₄": "4", "₅": "5", "₆": "6", "₇": "7", "₈": "8", "₉": "9", "₊": "+", "₋": "-",
};

const VULGAR: Record<string, [number, number]> = {
  "½": [1, 2], "⅓": [1, 3], "⅔": [2, 3], "¼": [1, 4], "¾": [3, 4], "⅕": [1, 5], "⅖": [2, 5], "⅗": [3, 5], "⅘": [4, 5],
  "⅙": [1, 6], "⅚": [5, 6], "⅐": [1, 7], "⅛": [1, 8], "⅜": [3, 8], "⅝": [5, 8], "⅞": [7, 8], "⅑": [1, 9], "⅒": [1, 10],
};

const SYMBOLS: [RegExp, string][] = [
  [/[∙•]/g, "\\cdot "],
  [/[∗]/g, "*"],
  [/[∕]/g, "/"],
  [/[≦⩽]/g, "≤"],
  [/[≧⩾]/g, "≥"],
  [/∶/g, ":"],
  [/[′]/g, "'"],
  [/∣/g, "|"],
];
