import { toFloat, type Value } from "./evaluate-expression.js";
import type { MathNode } from "./math-node.js";
import { cmpQ, isDecimalWithin } from "./rational.js";

/** How numbers are matched; see `AnswersEqualOptions`. */
export interface NumberRules {
  /** Decimal places both sides are rounded to before comparing (Math-Verify's `float_rounding`); unset: exact. */
  precision?: number;
  /** Significant digits a decimal answer needs to stand for an exact gold value it rounds to. */
  minApproxDigits: number;
}

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

/**
 * Whether two values are the same number (or matrices of the same numbers). Exact rationals
 * must match exactly; irrational values to 1e-9 relative; a decimal matches a value it is the
 * rounding or truncation of, when the gold is the decimal or the decimal is precise enough.
 */
export function valuesEqual(gold: Value, pred: Value, goldNode: MathNode | undefined, predNode: MathNode | undefined, rules: NumberRules): boolean {
  if (gold.t === "m" || pred.t === "m") {
    if (gold.t !== "m" || pred.t !== "m" || gold.rows.length !== pred.rows.length) return false;
    const gRows = goldNode?.kind === "matrix" ? goldNode.rows : undefined;
    const pRows = predNode?.kind === "matrix" ? predNode.rows : undefined;
    return gold.rows.every((row, i) => {
      const other = pred.rows[i]!;
      return row.length === other.length && row.every((cell, j) => valuesEqual(cell, other[j]!, gRows?.[i]?.[j], pRows?.[i]?.[j], rules));
    });
  }
  if (gold.t === "q" && pred.t === "q" && cmpQ(gold.q, pred.q) === 0) return true;
  const a = toFloat(gold);
  const b = toFloat(pred);
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  if (rules.precision !== undefined) return roundTo(a, rules.precision) === roundTo(b, rules.precision);
  if ((gold.t === "f" || pred.t === "f") && closeEnough(a, b)) return true;
  // Approximations stand for values no decimal writes exactly (1/3, √17), never for another decimal.
  const predLiteral = decimalLiteral(predNode);
  if (predLiteral && predLiteral.significant >= rules.minApproxDigits && !isTerminating(gold) && approximates(b, a, predLiteral.places)) return true;
  const goldLiteral = decimalLiteral(goldNode);
  return goldLiteral !== null && goldLiteral.significant >= rules.minApproxDigits && predLiteral === null && !isTerminating(pred) && approximates(a, b, goldLiteral.places);
}

export function closeEnough(a: number, b: number, relative = RELATIVE): boolean {
  return Math.abs(a - b) <= relative * Math.max(Math.abs(a), Math.abs(b)) || Math.abs(a - b) <= 1e-12;
}

function roundTo(x: number, places: number): number {
  const k = 10 ** Math.max(0, Math.min(15, places));
  return Math.round(x * k) / k;
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
