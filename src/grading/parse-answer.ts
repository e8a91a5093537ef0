import { expr, type Answer, type MathNode, type RelationOp } from "./math-node.js";
import { MAX_ANSWER_CHARS, normalizeAnswerText } from "./normalize-answer-text.js";
import { ExpressionParser, ParseFailure } from "./parse-expression.js";
import { isNamed, isNamedQuantity } from "./stated-value.js";
import { tokenizeMath, type Token, type TokenizeOptions } from "./tokenize-math.js";

const RELATIONS = new Set(["=", "<", ">", "≤", "≥", "≠", "≈", "∈", "→", "⇒"]);
const SEPARATORS = new Set([",", ";"]);
const CLOSERS = new Set([")", "]", "\\}", "}"]);

/**
 * Every reading of an answer, most likely first. "1,234" is the number 1234 and also the list
 * (1, 234); "2,74" is 2.74 and the list (2, 74). Empty when the text is no answer.
 */
export function parseAnswer(raw: string): Answer[] {
  if (raw.length > MAX_ANSWER_CHARS) return [];
  const text = normalizeAnswerText(raw);
  if (text === "") return [];
  const decimalComma = /^-?(?:0|\d{4,}),\d+$|^-?\d{1,3},(?:\d{1,2}|\d{4,})$/.test(text);
  const readings: TokenizeOptions[] = [{ thousands: !decimalComma, decimalComma }];
  if (/\d,\d/.test(text)) readings.push({ thousands: false, decimalComma: false });
  const out: Answer[] = [];
  const seen = new Set<string>();
  // "\text{A, D}" may be mathematics set as text: letters and numbers with no word among them.
  const unwrapped = text.includes("\\text{") ? text.replace(/\\text\{([^{}]*)\}/g, (whole, inner: string) => (/[A-Za-z]{2,}/.test(inner) ? whole : inner)) : text;
  const sources = unwrapped === text ? [text] : [text, unwrapped];
  for (const options of sources.flatMap((source) => readings.map((r) => [source, r] as const))) {
    const tokens = tokenizeMath(options[0], options[1]);
    if (!tokens) continue;
    const key = JSON.stringify(tokens);
    if (seen.has(key)) continue;
    seen.add(key);
    const answer = parseTokens(tokens);
    if (answer) out.push(answer);
  }
  // "1 = \\zzz = x = 0": when the chain does not parse as a whole, its last part is the answer.
  const parts = text.split(/(?<![<>!\\])=/);
  if (out.length === 0 && parts.length > 2 && !/[,;]/.test(text)) return parseAnswer(parts[parts.length - 1]!);
  return out;
}

function parseTokens(tokens: Token[]): Answer | null {
  const prose = asProse(tokens);
  if (prose) return prose;
  if (proseAroundMath(tokens)) return null;
  const cleaned = dropUnits(tokens);
  if (cleaned.length === 0) return null;
  try {
    const parser = new AnswerParser(cleaned);
    return simplify(parser.parseAll());
  } catch (error) {
    if (error instanceof ParseFailure) return null;
    throw error;
  }
}

/** Answers made only of words: a multiple-choice letter or short prose. */
function asProse(tokens: Token[]): Answer | null {
  const words = tokens.map((t) => (t.t === "text" ? t.text : t.t === "word" ? t.text : t.t === "id" && t.name.length === 1 ? t.name : t.t === "op" && "(),.".includes(t.v) ? t.v : null));
  if (words.some((w) => w === null)) return null;
  const joined = words.join(tokens.length > 1 && tokens.every((t) => t.t !== "op") ? " " : "").trim();
  const choice = /^\(?([A-Ea-e])\)?$/.exec(joined.replace(/\s+/g, ""));
  if (choice && (tokens.some((t) => t.t !== "id") || /[A-E]/.test(choice[1]!))) return { kind: "choice", letter: choice[1]!.toUpperCase() };
  if (tokens.some((t) => t.t === "text" || t.t === "word")) return { kind: "text", text: joined.toLowerCase().replace(/\s+/g, " ") };
  return null;
}

/**
 * Words that are no units: a word before the first number or formula ("garbage 0.5"), or more
 * than three words in all. Units follow their number ("125 miles", "5 cm^2"); connecting words
 * ("and", "or") are separators already.
 */
function proseAroundMath(tokens: Token[]): boolean {
  const isWord = (t: Token) => t.t === "word" || (t.t === "text" && /[A-Za-z]{2,}/.test(t.text) && !/^(?:and|or|percent|percentage|pct|degrees?)$/i.test(t.text.trim()));
  const firstMath = tokens.findIndex((t) => t.t === "num" || t.t === "cmd" || t.t === "env" || (t.t === "op" && !",;".includes(t.v)) || t.t === "id");
  if (firstMath < 0) return false;
  const words = tokens.filter(isWord).length;
  const wordFirst = tokens.slice(0, firstMath).filter((t) => t.t === "word").length;
  return words > 3 || wordFirst >= 2;
}

/**
 * Removes units and other prose around the mathematics (`15\text{ cm}^2`, `125 miles`); connecting
 * words ("and") were already turned into separators by the tokenizer.
 */
function dropUnits(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.t === "text") {
      const inner = t.text.toLowerCase().trim();
      if (inner === "and" || inner === "or" || inner === "," || inner === ";") out.push({ t: "op", v: "," });
      else if (/^(percent|percentage|pct|%)$/.test(inner)) out.push({ t: "op", v: "%" });
      else if (/^(degrees?|°)$/.test(inner)) out.push({ t: "op", v: "°" });
      else if (/^-?\d+(\.\d+)?$/.test(inner)) out.push({ t: "num", text: inner.replace(/^-/, "") });
      else i = skipUnitPower(tokens, i);
      continue;
    }
    if (t.t === "word") {
      i = skipUnitPower(tokens, i);
      continue;
    }
    out.push(t);
  }
  while (out.length > 0 && isDangling(out[out.length - 1]!)) out.pop();
  while (out.length > 0 && out[0]!.t === "op" && (out[0] as { v: string }).v === ",") out.shift();
  return out;
}

function isDangling(t: Token): boolean {
  return t.t === "op" && (t.v === "," || t.v === "=" || t.v === ":");
}

/** After a unit, `^2` or `^{3}` belongs to the unit. */
function skipUnitPower(tokens: Token[], i: number): number {
  const next = tokens[i + 1];
  if (next?.t === "op" && next.v === "^") {
    const after = tokens[i + 2];
    if (after?.t === "num") return i + 2;
    if (after?.t === "op" && after.v === "{" && tokens[i + 3]?.t === "num" && tokens[i + 4]?.t === "op") return i + 4;
  }
  return i;
}

class AnswerParser extends ExpressionParser {
  parseAll(): Answer {
    const items = this.parseItems();
    if (!this.atEnd()) throw new ParseFailure("trailing tokens");
    return items.length === 1 ? items[0]! : { kind: "list", items };
  }

  private parseItems(): Answer[] {
    const items = [this.parseItem()];
    while (this.peek()?.t === "op" && SEPARATORS.has((this.peek() as { v: string }).v)) {
      this.pos++;
      if (this.atEnd() || this.isCloser()) break;
      items.push(this.parseItem());
    }
    return items;
  }

  private isCloser(): boolean {
    const t = this.peek();
    return t?.t === "op" && CLOSERS.has(t.v);
  }

  private parseItem(): Answer {
    let first = this.parseSetExpression();
    if (this.isOp(":")) {
      // A ratio or a clock time, "3:4", "4:30": ordered parts; "A:B = 1" goes on as a relation.
      const parts = [first];
      while (this.isOp(":")) {
        this.pos++;
        parts.push(this.parseSetExpression());
      }
      first = { kind: "tuple", items: parts, ratio: true };
    }
    const sides = [first];
    const ops: string[] = [];
    for (let t = this.peek(); t?.t === "op" && RELATIONS.has(t.v); t = this.peek()) {
      this.pos++;
      ops.push(t.v);
      sides.push(this.parseSetExpression());
    }
    if (ops.length === 0) return sides[0]!;
    if (ops.includes("∈") || ops.includes("→") || ops.includes("⇒")) {
      // "x ∈ S" states the set S; "a → b" and "a ⇒ b" state their last part.
      return sides[sides.length - 1]!;
    }
    return { kind: "relation", sides, ops: ops as RelationOp[] };
  }

  private parseSetExpression(): Answer {
    const parts = [this.parseOperand()];
    while (this.isOp("∪")) {
      this.pos++;
      parts.push(this.parseOperand());
    }
    return parts.length === 1 ? parts[0]! : { kind: "union", parts };
  }

  private parseOperand(): Answer {
    const t = this.peek();
    if (t?.t === "op" && (t.v === "(" || t.v === "[" || t.v === "\\{" || t.v === "{")) {
      const start = this.pos;
      try {
        const structure = this.parseBracketed();
        if (structure && this.atBoundary()) return structure;
      } catch (error) {
        if (!(error instanceof ParseFailure)) throw error;
      }
      this.pos = start;
    }
    if (this.isOp("…")) {
      this.pos++;
      return { kind: "text", text: "…" };
    }
    if (t?.t === "id" && t.name === "emptyset") {
      this.pos++;
      return { kind: "set", items: [] };
    }
    return expr(this.parseExpression());
  }

  private atBoundary(): boolean {
    const t = this.peek();
    return !t || (t.t === "op" && (SEPARATORS.has(t.v) || CLOSERS.has(t.v) || RELATIONS.has(t.v) || t.v === "∪"));
  }

  /** A tuple, interval, set or brace-wrapped list; null when the brackets hold a single expression. */
  private parseBracketed(): Answer | null {
    const open = (this.next() as { v: string }).v;
    if (open === "\\{" && this.isOp("\\}")) {
      this.pos++;
      return { kind: "set", items: [] };
    }
    const items = this.parseItems();
    const close = this.next();
    if (close.t !== "op") throw new ParseFailure("bracket");
    if (open === "\\{") {
      if (close.v !== "\\}") throw new ParseFailure("set");
      return { kind: "set", items };
    }
    if (open === "{") {
      if (close.v !== "}") throw new ParseFailure("brace");
      return items.length > 1 ? { kind: "list", items } : null;
    }
    if (items.length < 2 || (close.v !== ")" && close.v !== "]")) return null;
    const [lo, hi] = items;
    const isInterval = items.length === 2 && lo!.kind === "expr" && hi!.kind === "expr" && !(open === "(" && close.v === ")");
    if (isInterval) return { kind: "interval", lo: (lo as { node: MathNode }).node, hi: (hi as { node: MathNode }).node, loClosed: open === "[", hiClosed: close.v === "]" };
    if (open === "(" && close.v !== ")") throw new ParseFailure("mixed brackets");
    return { kind: "tuple", items };
  }
}

/** Reading rules that make the parse state the answer itself rather than the working around it. */
export function simplify(answer: Answer): Answer {
  switch (answer.kind) {
    case "list":
    case "tuple":
    case "set": {
      const items = answer.items.map(simplify);
      return answer.kind === "list" && items.length === 1 ? items[0]! : { ...answer, items };
    }
    case "union":
      return { kind: "union", parts: answer.parts.map(simplify) };
    case "relation":
      // Sides keep their labels: "E(2020, 1993) = 76" names a value.
      return simplifyRelation(answer.sides.map((side) => (side.kind === "expr" ? side : simplify(side))), answer.ops);
    case "expr": {
      // A point written with its label, "P(1, 2)", is the pair (1, 2).
      const node = answer.node;
      const point = node.kind === "call" && /^apply:[A-Z]$/.test(node.fn) && node.args.length >= 2;
      return point ? { kind: "tuple", items: node.args.map(expr) } : answer;
    }
    default:
      return answer;
  }
}

function simplifyRelation(sides: Answer[], ops: RelationOp[]): Answer {
  // "x ≈ 11" states 11; "x = 1/3 ≈ 0.33" states 1/3: an approximation after the exact value is not the answer.
  const approx = ops.indexOf("≈");
  if (approx >= 0) {
    if (approx === 0 && isNamedQuantity(sides[0]!)) return simplifyRelation(sides.slice(1), ops.slice(1));
    return simplifyRelation(sides.slice(0, approx + 1), ops.slice(0, approx));
  }
  if (ops.length === 0) return sides[0]!;
  if (ops.every((op) => op === "=") && sides.length > 2) {
    // "x = 5+5+1 = 11" states x = 11; "1 = y = 0" (no name first) states 0.
    const last = sides[sides.length - 1]!;
    return isNamedQuantity(sides[0]!) || isNamed(sides[0]!) ? { kind: "relation", sides: [sides[0]!, last], ops: ["="] } : last;
  }
  return { kind: "relation", sides, ops };
}
