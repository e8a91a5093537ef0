import { addQ, bitLength, divQ, isIntegerQ, MAX_DENOMINATOR_BITS, MAX_INTEGER_BITS, mulQ, powQ, rational, withinExactRange, type Rational } from "./rational.js";
import { complexOp, complexPower } from "./complex-values.js";
import { f, fromLog, magnitude, q, toFloat, UNDEFINED, UNKNOWN, type Value } from "./values.js";

/**
 * Arithmetic on values: exact on rationals within the exact range, floating point in the
 * double range, magnitudes (sign and log10) beyond it. Nothing overflows into a shared
 * Infinity: only the symbol ∞ is infinite.
 */

export const MINUS_ONE: Value = q(rational(-1n));

export function add(a: Value, b: Value): Value {
  if (a.t === "m" || b.t === "m") {
    if (a.t !== "m" || b.t !== "m" || !sameShape(a, b)) return UNDEFINED;
    return { t: "m", rows: a.rows.map((r, i) => r.map((c, j) => add(c, b.rows[i]![j]!))) };
  }
  if (a.t === "u" || b.t === "u") return UNKNOWN;
  if (a.t === "c" || b.t === "c") return complexOp(a, b, "add");
  if (a.t === "q" && b.t === "q" && bitLength(a.q.d) + bitLength(b.q.d) <= MAX_DENOMINATOR_BITS) return exactOr(addQ(a.q, b.q));
  return scalar(a, b, "add");
}

export function negate(a: Value): Value {
  return multiply(MINUS_ONE, a);
}

export function multiply(a: Value, b: Value): Value {
  if (a.t === "m" && b.t === "m") {
    const inner = a.rows[0]!.length;
    if (inner !== b.rows.length) return UNDEFINED;
    return { t: "m", rows: a.rows.map((row) => b.rows[0]!.map((_, j) => row.map((x, k) => multiply(x, b.rows[k]![j]!)).reduce(add))) };
  }
  if (a.t === "m") return { t: "m", rows: a.rows.map((r) => r.map((c) => multiply(c, b))) };
  if (b.t === "m") return { t: "m", rows: b.rows.map((r) => r.map((c) => multiply(a, c))) };
  if (a.t === "u" || b.t === "u") return UNKNOWN;
  if (a.t === "c" || b.t === "c") return complexOp(a, b, "mul");
  if (a.t === "q" && b.t === "q" && affordableProduct(a.q, b.q)) return exactOr(mulQ(a.q, b.q));
  return scalar(a, b, "mul");
}

export function divide(a: Value, b: Value): Value {
  if (b.t === "m") return UNDEFINED;
  if (a.t === "m") return { t: "m", rows: a.rows.map((r) => r.map((c) => divide(c, b))) };
  if (a.t === "u" || b.t === "u") return UNKNOWN;
  if (a.t === "c" || b.t === "c") return complexOp(a, b, "div");
  if (a.t === "q" && b.t === "q" && affordableProduct(a.q, { n: b.q.d, d: b.q.n < 0n ? -b.q.n : b.q.n })) {
    const r = divQ(a.q, b.q);
    return r === null ? UNDEFINED : exactOr(r);
  }
  return scalar(a, b, "div");
}

/** The gcd that reduces a product stays cheap while the denominators stay small. */
function affordableProduct(a: Rational, b: Rational): boolean {
  return bitLength(a.d) + bitLength(b.d) <= MAX_DENOMINATOR_BITS && bitLength(a.n) + bitLength(b.n) <= 2 * MAX_INTEGER_BITS;
}

function exactOr(r: Rational): Value {
  if (withinExactRange(r)) return q(r);
  return r.n === 0n ? q(r) : fromLog(r.n < 0n ? -1 : 1, magnitude(q(r))!.log10);
}

function sameShape(a: { rows: Value[][] }, b: { rows: Value[][] }): boolean {
  return a.rows.length === b.rows.length && a.rows.every((r, i) => r.length === b.rows[i]!.length);
}

/** Far from 1 in either direction: doubles lose it after one more operation. */
function outOfFloatRange(v: Value): boolean {
  if (v.t === "big") return true;
  if (v.t !== "q" || v.q.n === 0n) return false;
  return Math.abs(bitLength(v.q.n) - bitLength(v.q.d)) > 990;
}

function scalar(a: Value, b: Value, op: "add" | "mul" | "div"): Value {
  const x = toFloat(a);
  const y = toFloat(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return UNDEFINED;
  if ((a.t !== "big" && !Number.isFinite(x)) || (b.t !== "big" && !Number.isFinite(y))) return f(op === "add" ? x + y : op === "mul" ? x * y : x / y);
  if (op === "div" && y === 0 && b.t !== "big") return UNDEFINED;
  if (!outOfFloatRange(a) && !outOfFloatRange(b)) {
    const r = op === "add" ? x + y : op === "mul" ? x * y : x / y;
    const lost = !Number.isFinite(r) || (r === 0 && x !== 0 && op !== "add");
    if (!lost) return f(r);
  }
  return logOp(a, b, op);
}

/** The operation on signs and log-magnitudes, for values beyond the double range. */
function logOp(a: Value, b: Value, op: "add" | "mul" | "div"): Value {
  const ma = magnitude(a);
  const mb = magnitude(b);
  if (op === "add") {
    if (!ma) return b;
    if (!mb) return a;
    const [hi, lo] = ma.log10 >= mb.log10 ? [ma, mb] : [mb, ma];
    const gap = lo.log10 - hi.log10;
    if (gap < -30) return fromLog(hi.sign, hi.log10);
    const ratio = 10 ** gap;
    const factor = hi.sign === lo.sign ? 1 + ratio : 1 - ratio;
    // Near-cancellation of two magnitudes known to ~15 digits: the difference is not known.
    if (factor < 1e-9) return UNKNOWN;
    return fromLog(hi.sign, hi.log10 + Math.log10(factor));
  }
  if (!ma) return op === "div" && !mb ? UNDEFINED : q(rational(0n));
  if (!mb) return op === "mul" ? q(rational(0n)) : UNDEFINED;
  return fromLog(ma.sign * mb.sign, op === "mul" ? ma.log10 + mb.log10 : ma.log10 - mb.log10);
}

/** base^exp; with `imaginary`, a negative base under a non-integer exponent has its principal complex value. */
export function power(base: Value, exp: Value, imaginary = false): Value {
  if (base.t === "m" || exp.t === "m") return UNDEFINED;
  if (base.t === "u" || exp.t === "u") return UNKNOWN;
  if (base.t === "c" || exp.t === "c") return complexPower(base, exp);
  if (base.t === "q" && exp.t === "q") {
    const exact = exactPower(base.q, exp.q);
    if (exact) return exactOr(exact);
  }
  const x = toFloat(base);
  const y = toFloat(exp);
  if (Number.isNaN(x) || Number.isNaN(y)) return UNDEFINED;
  // Odd roots of negative numbers are real: (-8)^(1/3) = -2; otherwise a negative base needs an integer exponent.
  let sign = 1;
  if (x < 0) {
    if (exp.t === "q" && exp.q.d % 2n === 1n) sign = exp.q.n % 2n === 0n ? 1 : -1;
    else if (exp.t === "f" && Number.isInteger(y)) sign = Math.abs(y) % 2 === 0 ? 1 : -1;
    else return imaginary && base.t !== "big" && exp.t !== "big" ? complexPower(base, exp) : UNDEFINED;
  }
  if (!Number.isFinite(x) && base.t !== "big") return f(Math.pow(x, y));
  if (exp.t === "big") return x === 1 ? f(1) : x === 0 && exp.sign > 0 ? f(0) : UNKNOWN;
  if (!outOfFloatRange(base)) {
    const r = sign * Math.pow(Math.abs(x), y);
    if (Number.isFinite(r) && (r !== 0 || x === 0)) return f(r);
    if (x === 0) return y > 0 ? f(0) : UNDEFINED;
  }
  const m = magnitude(base);
  if (!m) return UNDEFINED;
  return fromLog(sign, m.log10 * y);
}

function exactPower(base: Rational, exp: Rational): Rational | null {
  if (isIntegerQ(exp)) return powQ(base, exp.n);
  if (exp.d > 64n) return null;
  const root = exactRoot(base, exp.d);
  return root ? powQ(root, exp.n) : null;
}

/** The rational k-th root of a, when there is one. */
export function exactRoot(a: Rational, k: bigint): Rational | null {
  if (a.n < 0n) {
    if (k % 2n === 0n) return null;
    const r = exactRoot({ n: -a.n, d: a.d }, k);
    return r ? { n: -r.n, d: r.d } : null;
  }
  const n = integerRoot(a.n, k);
  const d = n === null ? null : integerRoot(a.d, k);
  return n !== null && d !== null ? { n, d } : null;
}

function integerRoot(x: bigint, k: bigint): bigint | null {
  if (x < 2n) return x;
  const bits = bitLength(x);
  if (bits > MAX_DENOMINATOR_BITS) return null;
  if (bits < 50) {
    const guess = BigInt(Math.round(Math.pow(Number(x), 1 / Number(k))));
    for (const candidate of [guess - 1n, guess, guess + 1n]) if (candidate >= 0n && candidate ** k === x) return candidate;
    return null;
  }
  // Beyond double precision: Newton's method on integers, from above.
  let guess = 1n << BigInt(Math.ceil(bits / Number(k)));
  for (let i = 0; i < 200; i++) {
    const next = ((k - 1n) * guess + x / guess ** (k - 1n)) / k;
    if (next >= guess) break;
    guess = next;
  }
  return guess ** k === x ? guess : null;
}
