import { toComplex } from "./complex-values.js";
import type { MathNode } from "./math-node.js";
import { cmpQ, isDecimalWithin, log10Q, type Rational } from "./rational.js";
import { BIG_LOG10, magnitude, toFloat, type Value } from "./values.js";

/** How numbers are matched; see `AnswersEqualOptions`. */
export interface NumberRules {
  /** Decimal places both sides are rounded to before comparing (Math-Verify's `float_rounding`); unset: exact. */
  precision?: number | undefined;
  /** Significant digits a decimal answer needs to stand for an exact gold value it rounds to. */
  minApproxDigits: number;
}

/** Three answers to "the same?": decided either way, or not decidable with what is known. */
export type Verdict = "equal" | "different" | "unknown";

/** A number written with a decimal point: its places and significant digits. */
export interface DecimalLiteral {
  places: number;
  significant: number;
}

/** The decimal literal a node is (possibly negated), or null. */
export function decimalLiteral(node: MathNode | undefined): DecimalLiteral | null {
  if (!node) return null;
  if (node.kind === "neg") return decimalLiteral(node.arg);
  if (node.kind === "number" && node.places !== null) return { places: node.places, significant: node.significant };
  return null;
}

/** Agreement of floating-point results that should be equal, after a few operations' rounding. */
const RELATIVE = 1e-9;

/** Magnitudes carry ~15 digits; two that differ by more than this in log10 are different numbers. */
const LOG_TOLERANCE = 1e-12;

/**
 * Whether two values are the same number (or matrices of the same numbers). Exact rationals
 * must match exactly; irrational values to 1e-9 relative; a decimal matches a value it is the
 * rounding or truncation of, when the gold is the decimal or the decimal is precise enough.
 * Values beyond double range are told apart by magnitude, and are "unknown" when their
 * magnitudes agree but neither is exact.
 */
export function valuesEqual(gold: Value, pred: Value, goldNode: MathNode | undefined, predNode: MathNode | undefined, rules: NumberRules): Verdict {
  if (gold.t === "m" || pred.t === "m") {
    if (gold.t !== "m" || pred.t !== "m" || gold.rows.length !== pred.rows.length) return "different";
    const gRows = goldNode?.kind === "matrix" ? goldNode.rows : undefined;
    const pRows = predNode?.kind === "matrix" ? predNode.rows : undefined;
    let verdict: Verdict = "equal";
    gold.rows.forEach((row, i) => {
      const other = pred.rows[i]!;
      if (row.length !== other.length) verdict = "different";
      else row.forEach((cell, j) => (verdict = worse(verdict, valuesEqual(cell, other[j]!, gRows?.[i]?.[j], pRows?.[i]?.[j], rules))));
    });
    return verdict;
  }
  if (gold.t === "u" || pred.t === "u") return "unknown";
  if (gold.t === "c" || pred.t === "c") return complexEqual(gold, pred, RELATIVE);
  if (gold.t === "q" && pred.t === "q") return exactEqual(gold.q, pred.q, goldNode, predNode, rules);
  if (beyondFloats(gold) || beyondFloats(pred)) return magnitudesEqual(gold, pred);
  const a = toFloat(gold);
  const b = toFloat(pred);
  if (Number.isNaN(a) || Number.isNaN(b)) return "different";
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b ? "equal" : "different";
  if (rules.precision !== undefined) return roundTo(a, rules.precision) === roundTo(b, rules.precision) ? "equal" : "different";
  if (closeEnough(a, b)) return "equal";
  const predLiteral = decimalLiteral(predNode);
  if (predLiteral && predLiteral.significant >= rules.minApproxDigits && !isTerminating(gold) && approximates(b, a, predLiteral.places)) return "equal";
  const goldLiteral = decimalLiteral(goldNode);
  const goldApproximates = goldLiteral !== null && goldLiteral.significant >= rules.minApproxDigits && predLiteral === null && !isTerminating(pred) && approximates(a, b, goldLiteral.places);
  return goldApproximates ? "equal" : "different";
}

/** The less decided of two verdicts over parts that must all be equal. */
export function worse(a: Verdict, b: Verdict): Verdict {
  return a === "different" || b === "different" ? "different" : a === "unknown" || b === "unknown" ? "unknown" : "equal";
}

/** Approximations stand for values no decimal writes exactly (1/3, √17), never for another decimal. */
function exactEqual(g: Rational, p: Rational, goldNode: MathNode | undefined, predNode: MathNode | undefined, rules: NumberRules): Verdict {
  if (cmpQ(g, p) === 0) return "equal";
  if (rules.precision !== undefined) return roundQ(g, rules.precision) === roundQ(p, rules.precision) ? "equal" : "different";
  const predLiteral = decimalLiteral(predNode);
  if (predLiteral && predLiteral.significant >= rules.minApproxDigits && !isDecimalWithin(g, 40) && approximatesQ(p, g, predLiteral.places)) return "equal";
  const goldLiteral = decimalLiteral(goldNode);
  if (goldLiteral && goldLiteral.significant >= rules.minApproxDigits && predLiteral === null && !isDecimalWithin(p, 40) && approximatesQ(g, p, goldLiteral.places)) return "equal";
  return "different";
}

function beyondFloats(v: Value): boolean {
  if (v.t === "big") return true;
  if (v.t !== "q" || v.q.n === 0n) return false;
  return Math.abs(log10Q(v.q)) > BIG_LOG10;
}

function magnitudesEqual(gold: Value, pred: Value): Verdict {
  const a = magnitude(gold);
  const b = magnitude(pred);
  if (!a || !b) return "different";
  if (a.sign !== b.sign) return "different";
  const scale = Math.max(1, Math.abs(a.log10), Math.abs(b.log10));
  return Math.abs(a.log10 - b.log10) > LOG_TOLERANCE * scale ? "different" : "unknown";
}

/** Complex values (and reals against them) agree when both parts do, relative to their size. */
export function complexEqual(gold: Value, pred: Value, relative: number): Verdict {
  const a = toComplex(gold);
  const b = toComplex(pred);
  if (!a || !b) return "unknown";
  if ([a.re, a.im, b.re, b.im].some(Number.isNaN)) return "different";
  const scale = Math.max(Math.hypot(a.re, a.im), Math.hypot(b.re, b.im));
  const gap = Math.hypot(a.re - b.re, a.im - b.im);
  return gap <= relative * scale || gap <= 1e-12 ? "equal" : "different";
}

export function closeEnough(a: number, b: number, relative = RELATIVE): boolean {
  return Math.abs(a - b) <= relative * Math.max(Math.abs(a), Math.abs(b)) || Math.abs(a - b) <= 1e-12;
}

function roundTo(x: number, places: number): number {
  const k = 10 ** Math.max(0, Math.min(15, places));
  return Math.round(x * k) / k;
}

/** The value rounded half up to `places` decimals, as an exact key. */
function roundQ(a: Rational, places: number): string {
  const scale = 10n ** BigInt(Math.max(0, Math.min(60, places)));
  const twice = (2n * a.n * scale + (a.n >= 0n ? a.d : -a.d)) / (2n * a.d);
  return twice.toString();
}

/** A rational whose decimal expansion ends (2.49, 1/8) is exact: no rounding stands for it. */
function isTerminating(v: Value): boolean {
  return v.t === "q" && isDecimalWithin(v.q, 40);
}

/** `decimal`, written with `places` places, is `value` rounded or truncated. */
function approximates(decimal: number, value: number, places: number): boolean {
  const unit = 10 ** -places;
  const slack = unit * 1e-6;
  if (Math.abs(decimal - value) <= unit / 2 + slack) return true;
  return Math.sign(decimal) === Math.sign(value) && Math.abs(value) >= Math.abs(decimal) && Math.abs(value) - Math.abs(decimal) < unit + slack;
}

/** `approximates` in exact arithmetic: cross-multiplied, so no gcd of long numbers is needed. */
function approximatesQ(decimal: Rational, value: Rational, places: number): boolean {
  if (places > 400) return false;
  const unit = 10n ** BigInt(places);
  const num = value.n * decimal.d - decimal.n * value.d;
  const den = value.d * decimal.d;
  const abs = num < 0n ? -num : num;
  if (2n * abs * unit <= den) return true;
  // Truncation: |value| ≥ |decimal| with the same sign, by less than one unit.
  const sameSign = (value.n < 0n) === (decimal.n < 0n);
  const outward = decimal.n < 0n ? num <= 0n : num >= 0n;
  return sameSign && outward && abs * unit < den;
}
