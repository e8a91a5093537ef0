import type { Deadline } from "./deadline.js";
import type { MathNode } from "./math-node.js";
import { addQ, divQ, isIntegerQ, mulQ, negQ, powQ, rational, toNumberQ, type Rational } from "./rational.js";

/** A value: exact rational, floating point, or a matrix of values. */
export type Value = { t: "q"; q: Rational } | { t: "f"; x: number } | { t: "m"; rows: Value[][] };

/** The expression has a free variable and no value was given for it. */
export class FreeVariable extends Error {}

/** Named constants; every other symbol is a variable. */
const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E, infty: Infinity };

const FLOAT_FUNCTIONS: Record<string, (x: number) => number> = {
  sin: Math.sin, cos: Math.cos, tan: Math.tan, sec: (x) => 1 / Math.cos(x), csc: (x) => 1 / Math.sin(x), cot: (x) => 1 / Math.tan(x),
  arcsin: Math.asin, arccos: Math.acos, arctan: Math.atan, sinh: Math.sinh, cosh: Math.cosh, tanh: Math.tanh,
  ln: Math.log, lg: Math.log10, exp: Math.exp, det: (x) => x,
};

const q = (value: Rational): Value => ({ t: "q", q: value });
const f = (x: number): Value => ({ t: "f", x });

/** Free variables of an expression, sorted. */
export function freeVariables(node: MathNode, out = new Set<string>()): Set<string> {
  switch (node.kind) {
    case "symbol":
      if (!(node.name in CONSTANTS)) out.add(node.name);
      break;
    case "add":
      node.terms.forEach((t) => freeVariables(t, out));
      break;
    case "mul":
      node.factors.forEach((t) => freeVariables(t, out));
      break;
    case "div":
      freeVariables(node.num, out);
      freeVariables(node.den, out);
      break;
    case "pow":
      freeVariables(node.base, out);
      freeVariables(node.exp, out);
      break;
    case "neg":
    case "percent":
    case "degree":
      freeVariables(node.arg, out);
      break;
    case "call":
      node.args.forEach((t) => freeVariables(t, out));
      break;
    case "pm":
      freeVariables(node.left, out);
      freeVariables(node.right, out);
      break;
    case "matrix":
      node.rows.forEach((r) => r.forEach((c) => freeVariables(c, out)));
      break;
  }
  return out;
}

/**
 * Evaluates an expression: exactly while only rationals meet, in floating point after that.
 * Variables take values from `env`; a variable missing from it throws FreeVariable.
 */
export function evaluate(node: MathNode, env: ReadonlyMap<string, number> | null, deadline: Deadline): Value {
  deadline.check();
  switch (node.kind) {
    case "number":
      return q(node.value);
    case "symbol": {
      if (node.name in CONSTANTS) return f(CONSTANTS[node.name]!);
      const v = env?.get(node.name);
      if (v === undefined) throw new FreeVariable(node.name);
      return f(v);
    }
    case "based":
      return q(rational(BigInt(parseBased(node.digits, node.base))));
    case "neg":
      return scale(evaluate(node.arg, env, deadline), q(rational(-1n)));
    case "percent":
    case "degree":
      return evaluate(node.arg, env, deadline);
    case "add":
      return node.terms.map((t) => evaluate(t, env, deadline)).reduce(add);
    case "mul":
      return overflowToNaN(node.factors.map((t) => evaluate(t, env, deadline)), (args) => args.reduce(multiply));
    case "div":
      return overflowToNaN([evaluate(node.num, env, deadline), evaluate(node.den, env, deadline)], ([a, b]) => divide(a!, b!));
    case "pow":
      return overflowToNaN([evaluate(node.base, env, deadline), evaluate(node.exp, env, deadline)], ([a, b]) => power(a!, b!));
    case "matrix":
      return { t: "m", rows: node.rows.map((r) => r.map((c) => evaluate(c, env, deadline))) };
    case "call":
      return overflowToNaN(node.args.map((a) => evaluate(a, env, deadline)), (args) => call(node.fn, args));
    case "pm":
      throw new FreeVariable("±");
  }
}

/**
 * Infinity only comes from the symbol ∞: a finite expression whose value overflows a double
 * (10^{10^{10}}) or divides by zero has no usable value, so it is NaN and equals nothing.
 */
function overflowToNaN(args: Value[], op: (args: Value[]) => Value): Value {
  const result = op(args);
  if (result.t === "f" && !Number.isFinite(result.x) && args.every((a) => a.t !== "f" || Number.isFinite(a.x))) return f(NaN);
  return result;
}

function parseBased(digits: string, base: number): string {
  let value = 0n;
  for (const d of digits) value = value * BigInt(base) + BigInt(parseInt(d, 36));
  return value.toString();
}

export function toFloat(v: Value): number {
  if (v.t === "q") return toNumberQ(v.q);
  if (v.t === "f") return v.x;
  return NaN;
}

function scalarOp(a: Value, b: Value, exact: (x: Rational, y: Rational) => Rational | null, float: (x: number, y: number) => number): Value {
  if (a.t === "q" && b.t === "q") {
    const r = exact(a.q, b.q);
    if (r) return q(r);
  }
  return f(float(toFloat(a), toFloat(b)));
}

function add(a: Value, b: Value): Value {
  if (a.t === "m" || b.t === "m") {
    if (a.t !== "m" || b.t !== "m" || !sameShape(a, b)) return f(NaN);
    return { t: "m", rows: a.rows.map((r, i) => r.map((c, j) => add(c, b.rows[i]![j]!))) };
  }
  return scalarOp(a, b, addQ, (x, y) => x + y);
}

function scale(a: Value, k: Value): Value {
  if (a.t === "m") return { t: "m", rows: a.rows.map((r) => r.map((c) => scale(c, k))) };
  return scalarOp(a, k, mulQ, (x, y) => x * y);
}

function multiply(a: Value, b: Value): Value {
  if (a.t !== "m") return scale(b, a);
  if (b.t !== "m") return scale(a, b);
  const inner = a.rows[0]!.length;
  if (inner !== b.rows.length) return f(NaN);
  return {
    t: "m",
    rows: a.rows.map((row) => b.rows[0]!.map((_, j) => row.map((x, k) => multiply(x, b.rows[k]![j]!)).reduce(add))),
  };
}

function divide(a: Value, b: Value): Value {
  if (b.t === "m") return f(NaN);
  if (a.t === "m") return { t: "m", rows: a.rows.map((r) => r.map((c) => divide(c, b))) };
  return scalarOp(a, b, divQ, (x, y) => x / y);
}

function sameShape(a: { rows: Value[][] }, b: { rows: Value[][] }): boolean {
  return a.rows.length === b.rows.length && a.rows.every((r, i) => r.length === b.rows[i]!.length);
}

function power(base: Value, exp: Value): Value {
  if (base.t === "m" || exp.t === "m") return f(NaN);
  if (base.t === "q" && exp.t === "q") {
    const exact = exactPower(base.q, exp.q);
    if (exact) return q(exact);
  }
  const x = toFloat(base);
  const y = toFloat(exp);
  // Odd roots of negative numbers are real: (-8)^(1/3) = -2.
  if (x < 0 && exp.t === "q" && exp.q.d % 2n === 1n && !isIntegerQ(exp.q)) {
    const magnitude = Math.pow(-x, y);
    return f(exp.q.n % 2n === 0n ? magnitude : -magnitude);
  }
  return f(Math.pow(x, y));
}

function exactPower(base: Rational, exp: Rational): Rational | null {
  if (isIntegerQ(exp)) return exp.n > 10_000n || exp.n < -10_000n ? null : powQ(base, exp.n);
  if (exp.d > 64n) return null;
  const root = exactRoot(base, exp.d);
  return root && exp.n <= 10_000n && exp.n >= -10_000n ? powQ(root, exp.n) : null;
}

/** The rational k-th root of a, when there is one. */
export function exactRoot(a: Rational, k: bigint): Rational | null {
  if (a.n < 0n) {
    if (k % 2n === 0n) return null;
    const r = exactRoot(negQ(a), k);
    return r ? negQ(r) : null;
  }
  const n = integerRoot(a.n, k);
  const d = integerRoot(a.d, k);
  return n !== null && d !== null ? rational(n, d) : null;
}

function integerRoot(x: bigint, k: bigint): bigint | null {
  if (x < 2n) return x;
  if (x.toString(2).length > 4096) return null;
  let guess = BigInt(Math.round(Math.pow(Number(x), 1 / Number(k))));
  for (const candidate of [guess - 1n, guess, guess + 1n]) if (candidate >= 0n && candidate ** k === x) return candidate;
  // Beyond double precision: Newton's method on integers.
  guess = 1n << BigInt(Math.ceil(x.toString(2).length / Number(k)));
  for (let i = 0; i < 200; i++) {
    const next = ((k - 1n) * guess + x / guess ** (k - 1n)) / k;
    if (next >= guess) break;
    guess = next;
  }
  return guess ** k === x ? guess : null;
}

function call(fn: string, args: Value[]): Value {
  const [a, b] = args;
  if (!a || a.t === "m") return fn === "det" && a?.t === "m" ? determinant(a.rows) : f(NaN);
  switch (fn) {
    case "sqrt":
      return a.t === "q" ? exactOrFloat(exactRoot(a.q, 2n), Math.sqrt(toFloat(a))) : f(Math.sqrt(a.x));
    case "root": {
      const k = b && b.t === "q" && isIntegerQ(b.q) && b.q.n > 0n && b.q.n < 1000n ? b.q.n : null;
      if (k === null) return f(NaN);
      return power(a, q(rational(1n, k)));
    }
    case "abs":
      return a.t === "q" ? q(a.q.n < 0n ? negQ(a.q) : a.q) : f(Math.abs(a.x));
    case "floor":
    case "ceil":
      if (a.t === "q") return q(rational(roundQ(a.q, fn)));
      return f(fn === "floor" ? Math.floor(a.x) : Math.ceil(a.x));
    case "fact":
      return a.t === "q" && isIntegerQ(a.q) && a.q.n >= 0n && a.q.n <= 2000n ? q(rational(factorial(a.q.n))) : f(NaN);
    case "binom":
      return binomial(a, b);
    case "log": {
      const base = b ? toFloat(b) : 10;
      return f(Math.log(toFloat(a)) / Math.log(base));
    }
    default:
      if (fn.startsWith("apply:")) return f(uninterpreted(fn, args.map(toFloat)));
      if (FLOAT_FUNCTIONS[fn]) return f(FLOAT_FUNCTIONS[fn](toFloat(a)));
      return f(NaN);
  }
}

function exactOrFloat(exact: Rational | null, x: number): Value {
  return exact ? q(exact) : f(x);
}

function roundQ(a: Rational, mode: "floor" | "ceil"): bigint {
  const floor = a.n >= 0n ? a.n / a.d : -((-a.n + a.d - 1n) / a.d);
  return mode === "floor" || isIntegerQ(a) ? floor : floor + 1n;
}

function factorial(n: bigint): bigint {
  let out = 1n;
  for (let i = 2n; i <= n; i++) out *= i;
  return out;
}

function binomial(a: Value, b: Value | undefined): Value {
  if (a.t !== "q" || b?.t !== "q" || !isIntegerQ(a.q) || !isIntegerQ(b.q) || a.q.n > 5000n) return f(NaN);
  const n = a.q.n;
  const k = b.q.n;
  if (k < 0n || k > n) return q(rational(0n));
  let out = 1n;
  for (let i = 1n; i <= k; i++) out = (out * (n - k + i)) / i;
  return q(rational(out));
}

function determinant(rows: Value[][]): Value {
  if (rows.length !== rows[0]?.length || rows.length > 6) return f(NaN);
  if (rows.length === 1) return rows[0]![0]!;
  let sum: Value = q(rational(0n));
  rows[0]!.forEach((cell, j) => {
    const minor = rows.slice(1).map((r) => r.filter((_, k) => k !== j));
    const term = multiply(cell, determinant(minor));
    sum = add(sum, j % 2 === 0 ? term : scale(term, q(rational(-1n))));
  });
  return sum;
}

/** A fixed smooth function per name, so `f(2)` equals `f(2)` and not `f(1)` without knowing f. */
function uninterpreted(fn: string, args: number[]): number {
  let h = 7;
  for (const c of fn) h = (h * 31 + c.charCodeAt(0)) % 1000;
  return args.reduce((acc, x, i) => acc + Math.sin((h + 1 + i) * 0.37 * x + h) * (i + 1.3) + 0.11 * x, 0.5);
}
