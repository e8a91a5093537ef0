import { log10Q, toNumberQ, type Rational } from "./rational.js";

/**
 * The value of an expression: exact while only rationals meet, floating point after that, and
 * a magnitude once it leaves the range where doubles can tell numbers apart.
 */
export type Value =
  /** An exact rational (integers up to 65,536 bits, fractions up to 4,096 bits a part). */
  | { t: "q"; q: Rational }
  /** Floating point; NaN where the expression is undefined (1/0, √-1 over the reals). */
  | { t: "f"; x: number }
  /** Beyond double range (|log10| > 300): only the sign and log10 of the magnitude are known. */
  | { t: "big"; sign: 1 | -1; log10: number }
  /** Defined, but not computable here (sin 10^400, 10^400 - 10^400 carried as magnitudes). */
  | { t: "u" }
  /** A complex number, when `i` is read as the imaginary unit. */
  | { t: "c"; re: number; im: number }
  | { t: "m"; rows: Value[][] };

/** Past this |log10| a float is carried as a magnitude: doubles near 1e308 overflow on the next step. */
export const BIG_LOG10 = 300;

export const q = (value: Rational): Value => ({ t: "q", q: value });
export const f = (x: number): Value => ({ t: "f", x });
export const UNKNOWN: Value = { t: "u" };
export const UNDEFINED: Value = { t: "f", x: NaN };

/** A magnitude, or a float when it is back in range. */
export function fromLog(sign: number, log10: number): Value {
  if (!Number.isFinite(log10)) return log10 === -Infinity ? f(0) : UNKNOWN;
  if (Math.abs(log10) <= BIG_LOG10) return f(sign * 10 ** log10);
  return { t: "big", sign: sign < 0 ? -1 : 1, log10 };
}

/** Sign and log10 of a scalar's magnitude; null for zero, NaN, infinities, matrices and unknowns. */
export function magnitude(v: Value): { sign: 1 | -1; log10: number } | null {
  if (v.t === "big") return v;
  if (v.t === "q") return v.q.n === 0n ? null : { sign: v.q.n < 0n ? -1 : 1, log10: log10Q(v.q) };
  if (v.t === "f") return Number.isFinite(v.x) && v.x !== 0 ? { sign: v.x < 0 ? -1 : 1, log10: Math.log10(Math.abs(v.x)) } : null;
  return null;
}

/** A float for in-range values; ±Infinity for magnitudes, NaN for unknowns and matrices. */
export function toFloat(v: Value): number {
  if (v.t === "q") return toNumberQ(v.q);
  if (v.t === "f") return v.x;
  if (v.t === "big") return v.log10 > 0 ? v.sign * Infinity : 0;
  if (v.t === "c") return v.im === 0 ? v.re : NaN;
  return NaN;
}

/** Whether a scalar is exactly zero (exact or float). */
export function isZero(v: Value): boolean {
  return (v.t === "q" && v.q.n === 0n) || (v.t === "f" && v.x === 0);
}
