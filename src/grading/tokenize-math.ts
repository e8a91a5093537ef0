import { THOUSANDS_MARK } from "./normalize-answer-text.js";

/** One lexical unit of a normalised answer. */
export type Token =
  /** A number as written, digits and at most one decimal point, separators removed. */
  | { t: "num"; text: string }
  /** A variable or named constant: a single letter, a Greek letter, `pi`, `infty`. */
  | { t: "id"; name: string }
  /** A function or structural command, without its backslash (`frac`, `sqrt`, `sin`, `cup`, ...). */
  | { t: "cmd"; name: string }
  /** A run of four or more letters that is no known name: a word of prose or a unit. */
  | { t: "word"; text: string }
  /** The inside of `\text{...}`. */
  | { t: "text"; text: string }
  /** `\begin{name}` or `\end{name}`. */
  | { t: "env"; name: string; begin: boolean }
  /** Punctuation and operators, one spelling each (`<=` and `\le` both become "≤"). */
  | { t: "op"; v: string };

export interface TokenizeOptions {
  /** Join "1,234,567" into one number (true) or read its commas as separators (false). */
  thousands: boolean;
  /** Read "2,74" as 2.74. */
  decimalComma: boolean;
}

const FUNCTIONS = new Set([
  "sin", "cos", "tan", "sec", "csc", "cot", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh",
  "log", "ln", "lg", "exp", "sqrt", "abs", "gcd", "lcm", "max", "min", "floor", "ceil", "det",
]);

const GREEK = new Set([
  "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota", "kappa",
  "lambda", "mu", "nu", "xi", "rho", "sigma", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega",
  "Gamma", "Delta", "Theta", "Lambda", "Xi", "Sigma", "Phi", "Psi", "Omega",
]);

const COMMAND_OPS: Record<string, string> = {
  cdot: "*", times: "*", ast: "*", div: "/", pm: "±", mp: "∓",
  le: "≤", leq: "≤", leqslant: "≤", ge: "≥", geq: "≥", geqslant: "≥", lt: "<", gt: ">",
  ne: "≠", neq: "≠", approx: "≈", sim: "≈", simeq: "≈", equiv: "=", in: "∈",
  cup: "∪", cap: "∩", setminus: "∖", to: "→", rightarrow: "→", Rightarrow: "⇒", implies: "⇒",
  "{": "\\{", "}": "\\}", lbrace: "\\{", rbrace: "\\}", langle: "(", rangle: ")", lvert: "|", rvert: "|", vert: "|", mid: "|",
  lfloor: "⌊", rfloor: "⌋", lceil: "⌈", rceil: "⌉", "|": "‖", Vert: "‖", colon: ":",
  dots: "…", ldots: "…", cdots: "…", dotsb: "…", dotsc: "…", prime: "'", ",": " ", "%": "%", "\\": "\\\\",
};

const PLAIN_OPS: Record<string, string> = { "<=": "≤", ">=": "≥", "!=": "≠", "=<": "≤", "=>": "⇒", "**": "^", "\\\\": "\\\\" };
const SINGLE_OPS = new Set(["+", "-", "*", "/", "^", "_", "=", "<", ">", "!", ",", ";", ":", "|", "(", ")", "[", "]", "{", "}", "&", "%", "°", "'"]);
const WORD_OPS: Record<string, string> = { and: ",", or: ",", percent: "%", percentage: "%", pct: "%", degrees: "°", degree: "°", deg: "°" };

/** Splits a normalised answer into tokens; null when it holds a character no answer uses. */
export function tokenizeMath(s: string, options: TokenizeOptions): Token[] | null {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === " " || c === "\n" || c === "\t" || c === "\r") {
      i++;
      continue;
    }
    const num = readNumber(s, i, options);
    if (num) {
      out.push({ t: "num", text: num.text });
      i = num.end;
      continue;
    }
    if (c === "\\") {
      const cmd = /^\\([A-Za-z]+|.)/.exec(s.slice(i));
      if (!cmd) return null;
      const name = cmd[1]!;
      i += cmd[0].length;
      if (name === "text") {
        const m = /^\s*\{([^{}]*)\}/.exec(s.slice(i));
        if (!m) return null;
        out.push({ t: "text", text: m[1]!.trim() });
        i += m[0].length;
      } else if (name === "begin" || name === "end") {
        const m = /^\s*\{([A-Za-z*]+)\}/.exec(s.slice(i));
        if (!m) return null;
        out.push({ t: "env", name: m[1]!.replace("*", ""), begin: name === "begin" });
        i += m[0].length;
      } else if (COMMAND_OPS[name] !== undefined) {
        if (COMMAND_OPS[name] !== " ") out.push({ t: "op", v: COMMAND_OPS[name]! });
      } else if (GREEK.has(name)) out.push({ t: "id", name });
      else if (name === "pi" || name === "infty" || name === "emptyset" || name === "varnothing") out.push({ t: "id", name: name === "varnothing" ? "emptyset" : name });
      else out.push({ t: "cmd", name });
      continue;
    }
    if (/[A-Za-z]/.test(c)) {
      const run = /^[A-Za-z]+/.exec(s.slice(i))![0];
      i += run.length;
      pushLetters(run, out);
      continue;
    }
    if (c === THOUSANDS_MARK) return null;
    const two = s.slice(i, i + 2);
    if (PLAIN_OPS[two] !== undefined) {
      out.push({ t: "op", v: PLAIN_OPS[two]! });
      i += 2;
      continue;
    }
    if (SINGLE_OPS.has(c) || "≤≥≠≈±∓∪∩∈→…".includes(c)) {
      out.push({ t: "op", v: c });
      i++;
      continue;
    }
    return null;
  }
  return out;
}

function pushLetters(run: string, out: Token[]): void {
  const lower = run.toLowerCase();
  if (WORD_OPS[lower] !== undefined) out.push({ t: "op", v: WORD_OPS[lower]! });
  else if (FUNCTIONS.has(run)) out.push({ t: "cmd", name: run });
  else if (run === "pi") out.push({ t: "id", name: "pi" });
  else if (lower === "inf" || lower === "infty" || lower === "infinity") out.push({ t: "id", name: "infty" });
  else if (run.length >= 4) out.push({ t: "word", text: run });
  else for (const letter of run) out.push({ t: "id", name: letter });
}

/** A number starting at i, with thousands separators and decimal commas resolved as `options` say. */
function readNumber(s: string, i: number, options: TokenizeOptions): { text: string; end: number } | null {
  const prev = i > 0 ? s[i - 1]! : "";
  if (/[0-9.]/.test(prev) && prev !== "") return null;
  const rest = s.slice(i);
  const explicit = new RegExp(`^\\d{1,3}(?:${THOUSANDS_MARK}\\d{3})+(?:\\.\\d+)?(?!\\d)`).exec(rest);
  if (explicit) return { text: explicit[0].replaceAll(THOUSANDS_MARK, ""), end: i + explicit[0].length };
  if (options.thousands) {
    const grouped = /^[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?(?![\d,])/.exec(rest) ?? /^[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?(?!\d)(?=,\s)/.exec(rest);
    if (grouped) return { text: grouped[0].replace(/,/g, ""), end: i + grouped[0].length };
  }
  if (options.decimalComma) {
    const comma = /^\d+,\d+(?![\d,])/.exec(rest);
    if (comma) return { text: comma[0].replace(",", "."), end: i + comma[0].length };
  }
  const plain = /^(?:\d+(?:\.\d+)?|\.\d+)/.exec(rest);
  if (!plain) return null;
  // "3." ends a sentence rather than a number; "3.5" keeps its point.
  return { text: plain[0], end: i + plain[0].length };
}
