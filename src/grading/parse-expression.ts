import { num, sym, type MathNode } from "./math-node.js";
import { parseDecimalQ, rational } from "./rational.js";
import type { Token } from "./tokenize-math.js";

/** Thrown inside the parsers when the tokens are not an answer; never leaves the grading module. */
export class ParseFailure extends Error {}

const TRIG = new Set(["sin", "cos", "tan", "sec", "csc", "cot", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh"]);
const UNARY_FUNCTIONS = new Set([...TRIG, "ln", "lg", "exp", "abs", "floor", "ceil", "det"]);
const VARIADIC = new Set(["gcd", "lcm", "max", "min"]);
const FUNCTION_LETTERS = new Set(["f", "g", "h"]);
const MATRIX_ENVS = new Set(["matrix", "pmatrix", "bmatrix", "Bmatrix", "vmatrix", "Vmatrix", "smallmatrix", "array"]);
const NESTING_LIMIT = 60;

/** Recursive-descent parser for the expression level: arithmetic, functions, matrices. */
export class ExpressionParser {
  protected pos = 0;
  private depth = 0;

  constructor(protected readonly tokens: Token[]) {}

  protected peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }

  protected next(): Token {
    const t = this.tokens[this.pos++];
    if (!t) throw new ParseFailure("unexpected end");
    return t;
  }

  protected isOp(v: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t?.t === "op" && t.v === v;
  }

  protected expectOp(v: string): void {
    if (!this.isOp(v)) throw new ParseFailure(`expected ${v}`);
    this.pos++;
  }

  protected atEnd(): boolean {
    return this.pos >= this.tokens.length;
  }

  parseExpression(): MathNode {
    if (++this.depth > NESTING_LIMIT) throw new ParseFailure("nested too deeply");
    try {
      return this.parseAdditive();
    } finally {
      this.depth--;
    }
  }

  private parseAdditive(): MathNode {
    let terms: MathNode[] = [this.parseTerm()];
    for (;;) {
      if (this.isOp("+")) {
        this.pos++;
        terms.push(this.parseTerm());
      } else if (this.isOp("-")) {
        this.pos++;
        terms.push({ kind: "neg", arg: this.parseTerm() });
      } else if (this.isOp("±") || this.isOp("∓")) {
        const sign = this.isOp("±") ? 1 : -1;
        this.pos++;
        const left: MathNode = terms.length === 1 ? terms[0]! : { kind: "add", terms };
        terms = [{ kind: "pm", left, right: this.parseTerm(), sign }];
      } else break;
    }
    return terms.length === 1 ? terms[0]! : { kind: "add", terms };
  }

  private parseTerm(): MathNode {
    if (this.isOp("-")) {
      this.pos++;
      return { kind: "neg", arg: this.parseTerm() };
    }
    if (this.isOp("+")) this.pos++;
    if (this.isOp("±")) {
      this.pos++;
      return { kind: "pm", left: num(rational(0n)), right: this.parseTerm(), sign: 1 };
    }
    let factors: MathNode[] = [this.parsePower()];
    for (;;) {
      if (this.isOp("*")) {
        this.pos++;
        factors.push(this.parseSignedPower());
      } else if (this.isOp("/")) {
        this.pos++;
        const den = this.parseSignedPower();
        factors = [{ kind: "div", num: factors.length === 1 ? factors[0]! : { kind: "mul", factors }, den }];
      } else if (this.startsImplicitFactor()) {
        const factor = this.parsePower();
        const first = factors[0]!;
        if (factors.length === 1 && isMixedNumber(first, factor)) factors = [{ kind: "add", terms: [first, factor] }];
        else factors.push(factor);
      } else break;
    }
    return factors.length === 1 ? factors[0]! : { kind: "mul", factors };
  }

  private parseSignedPower(): MathNode {
    if (this.isOp("-")) {
      this.pos++;
      return { kind: "neg", arg: this.parseSignedPower() };
    }
    return this.parsePower();
  }

  private startsImplicitFactor(): boolean {
    const t = this.peek();
    if (!t) return false;
    if (t.t === "num" || t.t === "id") return true;
    if (t.t === "cmd") return t.name !== "pmod" && t.name !== "bmod";
    if (t.t === "env") return t.begin && MATRIX_ENVS.has(t.name);
    return t.t === "op" && (t.v === "(" || t.v === "{" || t.v === "⌊" || t.v === "⌈");
  }

  protected parsePower(): MathNode {
    let base = this.parsePostfix();
    if (this.isOp("^")) {
      this.pos++;
      const exp = this.parseExponent();
      base = this.parsePostfixOn({ kind: "pow", base, exp });
    }
    return base;
  }

  private parseExponent(): MathNode {
    if (this.isOp("{")) return this.parseGroup("{", "}");
    if (this.isOp("-")) {
      this.pos++;
      return { kind: "neg", arg: this.parseExponent() };
    }
    return this.parsePostfix();
  }

  private parsePostfix(): MathNode {
    return this.parsePostfixOn(this.parsePrimary());
  }

  private parsePostfixOn(node: MathNode): MathNode {
    for (;;) {
      if (this.isOp("!")) node = { kind: "call", fn: "fact", args: [node] };
      else if (this.isOp("%")) node = { kind: "percent", arg: node };
      else if (this.isOp("°")) node = { kind: "degree", arg: node };
      else if (this.isOp("'")) node = { kind: "call", fn: "prime", args: [node] };
      else return node;
      this.pos++;
    }
  }

  protected parseGroup(open: string, close: string): MathNode {
    this.expectOp(open);
    const inner = this.parseExpression();
    this.expectOp(close);
    return inner;
  }

  private parsePrimary(): MathNode {
    const t = this.next();
    switch (t.t) {
      case "num":
        return this.withBase(numberNode(t.text));
      case "id":
        return this.parseSymbol(t.name);
      case "cmd":
        return this.parseCommand(t.name);
      case "env":
        if (t.begin && MATRIX_ENVS.has(t.name)) return this.parseMatrix(t.name);
        throw new ParseFailure(`environment ${t.name}`);
      case "op":
        switch (t.v) {
          case "(":
            return this.finishGroup(")");
          case "[":
            return this.finishGroup("]");
          case "{":
            return this.finishGroup("}");
          case "|":
            return { kind: "call", fn: "abs", args: [this.finishGroup("|")] };
          case "⌊":
            return { kind: "call", fn: "floor", args: [this.finishGroup("⌋")] };
          case "⌈":
            return { kind: "call", fn: "ceil", args: [this.finishGroup("⌉")] };
        }
    }
    throw new ParseFailure(`unexpected ${JSON.stringify(t)}`);
  }

  private finishGroup(close: string): MathNode {
    const inner = this.parseExpression();
    this.expectOp(close);
    return inner;
  }

  private withBase(node: MathNode): MathNode {
    if (!this.isOp("_") || node.kind !== "number" || node.places !== null) return node;
    this.pos++;
    const baseToken = this.isOp("{") ? (this.pos++, this.next()) : this.next();
    if (this.isOp("}")) this.pos++;
    if (baseToken.t !== "num") throw new ParseFailure("base");
    const base = Number(baseToken.text);
    const digits = node.value.n.toString();
    if (!(base >= 2 && base <= 36) || [...digits].some((d) => parseInt(d, 36) >= base)) throw new ParseFailure("digits");
    return { kind: "based", digits, base };
  }

  private parseSymbol(name: string): MathNode {
    let full = name;
    if (this.isOp("_")) {
      this.pos++;
      full += "_" + this.readSubscript();
    }
    // f(x), and any letter applied to several arguments: E(2020, 1993) (a product with a pair means nothing).
    if (this.isOp("(") && (FUNCTION_LETTERS.has(full) || (/^[A-Za-z]$/.test(name) && this.commaInGroup()))) {
      this.pos++;
      const args = [this.parseExpression()];
      while (this.isOp(",")) {
        this.pos++;
        args.push(this.parseExpression());
      }
      this.expectOp(")");
      return { kind: "call", fn: `apply:${full}`, args };
    }
    return sym(full);
  }

  /** Whether the parenthesised group starting here holds a comma at its own level. */
  private commaInGroup(): boolean {
    let depth = 0;
    for (let i = this.pos; i < this.tokens.length; i++) {
      const t = this.tokens[i]!;
      if (t.t !== "op") continue;
      if (t.v === "(" || t.v === "[" || t.v === "{") depth++;
      else if (t.v === ")" || t.v === "]" || t.v === "}") {
        if (--depth === 0) return false;
      } else if (t.v === "," && depth === 1) return true;
    }
    return false;
  }

  private readSubscript(): string {
    if (!this.isOp("{")) {
      const t = this.next();
      if (t.t === "num") return t.text;
      if (t.t === "id") return t.name;
      throw new ParseFailure("subscript");
    }
    this.pos++;
    let text = "";
    while (!this.isOp("}")) {
      const t = this.next();
      text += t.t === "num" ? t.text : t.t === "id" ? t.name : t.t === "op" ? t.v : t.t === "cmd" ? t.name : "";
    }
    this.pos++;
    return text;
  }

  /** A TeX argument: a brace group, one digit of a longer number (`\frac12`), or one primary. */
  protected parseArgument(): MathNode {
    if (this.isOp("{")) return this.parseGroup("{", "}");
    const t = this.peek();
    if (t?.t === "num" && t.text.length > 1 && /^\d/.test(t.text)) {
      this.tokens[this.pos] = { t: "num", text: t.text.slice(1) };
      return numberNode(t.text[0]!);
    }
    return this.parsePrimary();
  }

  private parseCommand(name: string): MathNode {
    if (name === "frac") {
      const numerator = this.parseArgument();
      return { kind: "div", num: numerator, den: this.parseArgument() };
    }
    if (name === "sqrt") {
      if (this.isOp("[")) {
        const index = this.parseGroup("[", "]");
        return { kind: "call", fn: "root", args: [this.parseArgument(), index] };
      }
      return { kind: "call", fn: "sqrt", args: [this.isOp("(") ? this.parseGroup("(", ")") : this.parseArgument()] };
    }
    if (name === "binom") {
      const n = this.parseArgument();
      return { kind: "call", fn: "binom", args: [n, this.parseArgument()] };
    }
    if (name === "log") return this.parseLog();
    if (UNARY_FUNCTIONS.has(name)) return this.parseFunction(name);
    if (VARIADIC.has(name)) {
      const args = [this.parseGroup("(", ")")];
      return { kind: "call", fn: name, args };
    }
    throw new ParseFailure(`command ${name}`);
  }

  private parseLog(): MathNode {
    let base: MathNode | null = null;
    if (this.isOp("_")) {
      this.pos++;
      base = this.parseArgument();
    }
    const call = this.parseFunction("log");
    if (base && call.kind === "call") call.args.push(base);
    return call;
  }

  /** `\sin x`, `\sin(x)`, `\sin^2 x`, `\sin^{-1} x`; a bare argument runs to the next + or function. */
  private parseFunction(name: string): MathNode {
    let power: MathNode | null = null;
    let fn = name;
    if (this.isOp("^")) {
      this.pos++;
      power = this.parseExponent();
      if (TRIG.has(name) && power.kind === "neg" && power.arg.kind === "number" && power.arg.value.n === 1n) {
        fn = `arc${name}`;
        power = null;
      }
    }
    let arg: MathNode;
    if (this.isOp("(")) arg = this.parseGroup("(", ")");
    else {
      const factors = [this.parsePower()];
      while (this.peek()?.t === "num" || this.peek()?.t === "id") factors.push(this.parsePower());
      arg = factors.length === 1 ? factors[0]! : { kind: "mul", factors };
    }
    const call: MathNode = { kind: "call", fn, args: [arg] };
    return power ? { kind: "pow", base: call, exp: power } : call;
  }

  private parseMatrix(env: string): MathNode {
    if (env === "array" && this.isOp("{")) {
      while (!this.isOp("}")) this.next();
      this.pos++;
    }
    const rows: MathNode[][] = [];
    let row: MathNode[] = [];
    for (;;) {
      const t = this.peek();
      if (!t) throw new ParseFailure("unclosed matrix");
      if (t.t === "env" && !t.begin) {
        this.pos++;
        break;
      }
      if (t.t === "op" && t.v === "\\\\") {
        this.pos++;
        if (row.length > 0) rows.push(row);
        row = [];
        continue;
      }
      if (t.t === "op" && t.v === "&") {
        this.pos++;
        continue;
      }
      row.push(this.parseExpression());
    }
    if (row.length > 0) rows.push(row);
    if (rows.length === 0 || rows.some((r) => r.length !== rows[0]!.length)) throw new ParseFailure("ragged matrix");
    return { kind: "matrix", rows };
  }
}

export function numberNode(text: string): MathNode {
  const value = parseDecimalQ(text);
  if (!value) throw new ParseFailure(`number ${text}`);
  const point = text.indexOf(".");
  const digits = text.replace(".", "").replace(/^0+/, "");
  return num(value, point < 0 ? null : text.length - point - 1, digits.length);
}

/** `1\frac{4}{5}`: an integer literal followed by a proper fraction of integer literals is a sum. */
function isMixedNumber(whole: MathNode, next: MathNode): boolean {
  if (whole.kind !== "number" || whole.places !== null || next.kind !== "div") return false;
  const { num: n, den: d } = next;
  return n.kind === "number" && d.kind === "number" && n.places === null && d.places === null && n.value.n < d.value.n;
}
