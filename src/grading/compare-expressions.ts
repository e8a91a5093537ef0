import { casEqual } from "./cas-equal.js";
import type { CompareContext, Rule } from "./compare-context.js";
import { closeEnough, complexEqual, valuesEqual, type Verdict } from "./compare-values.js";
import { evaluate, FreeVariable, freeVariables, functionsIn } from "./evaluate-expression.js";
import type { MathNode } from "./math-node.js";
import { randomPoints, type Regime } from "./random-points.js";
import { hugeTermsEqual } from "./huge-terms.js";
import { familiesEqual } from "./solution-family.js";
import { INTEGER_FUNCTIONS } from "./value-functions.js";
import { magnitude, toFloat, type Value } from "./values.js";

/** Agreeing points needed to call two expressions equal, and per extra regime that must also agree. */
const ENOUGH = 4;
const ENOUGH_PER_REGIME = 2;

/** Whether two expressions denote the same value (or the same function of their variables); the rule that showed it. */
export function expressionsEqual(gold: MathNode, pred: MathNode, ctx: CompareContext): Rule {
  if (sameTree(gold, pred)) return "same expression";
  if (gold.kind === "based" || pred.kind === "based") return basedEqual(gold, pred) ? "same numeral" : null;
  const vars = [...new Set([...freeVariables(gold), ...freeVariables(pred)])].sort();
  if (vars.length === 0) return constantsEqual(gold, pred, ctx);
  const check = numericCheck(gold, pred, vars, ctx);
  if (check.verdict === "equal") return `equal at ${check.points} random points`;
  if (vars.includes("i")) {
    const imaginary = imaginaryEqual(gold, pred, vars, ctx);
    if (imaginary === "different") return null;
    if (imaginary) return imaginary;
  }
  if (check.verdict === "unknown" && ctx.useCas) {
    const cas = casEqual(gold, pred, ctx.deadline);
    if (cas === true) return "computer algebra: difference simplifies to 0";
    if (cas === null) ctx.unknown ??= "numeric checks and computer algebra inconclusive";
  } else if (check.verdict === "unknown") ctx.unknown ??= "numeric checks inconclusive";
  const family = familiesEqual(gold, pred, ctx);
  if (family) return family;
  return null;
}

/**
 * `i` read as the imaginary unit: `\sqrt{-1}` and `i`, `(1+i)^2` and `2i`. A clear verdict
 * here decides; the CAS is not asked.
 */
function imaginaryEqual(gold: MathNode, pred: MathNode, vars: string[], ctx: CompareContext): Rule | "different" {
  const rest = vars.filter((v) => v !== "i");
  let verdict: Verdict;
  if (rest.length > 0) verdict = numericCheck(gold, pred, rest, ctx, true).verdict;
  else {
    const g = evaluate(gold, null, ctx.deadline, true);
    const p = evaluate(pred, null, ctx.deadline, true);
    verdict = g.t === "c" || p.t === "c" ? complexEqual(g, p, 1e-9) : valuesEqual(g, p, gold, pred, ctx.rules);
  }
  return verdict === "equal" ? "equal with i as the imaginary unit" : verdict === "different" ? "different" : null;
}

function constantsEqual(gold: MathNode, pred: MathNode, ctx: CompareContext): Rule {
  let g: Value;
  let p: Value;
  try {
    g = evaluate(gold, null, ctx.deadline);
    p = evaluate(pred, null, ctx.deadline);
  } catch (error) {
    if (error instanceof FreeVariable) return null;
    throw error;
  }
  const verdict = valuesEqual(g, p, gold, pred, ctx.rules);
  if (verdict === "unknown") {
    const symbolic = hugeTermsEqual(gold, pred, ctx, (a, b, vars) => numericCheck(a, b, vars, ctx).verdict);
    if (symbolic === "different") return null;
    if (symbolic) return symbolic;
    ctx.unknown ??= "values beyond double range with the same magnitude";
  }
  if (verdict !== "equal") return null;
  return g.t === "q" && p.t === "q" ? "same exact value" : "same value";
}

/** Structural identity, the cheap first test. */
export function sameTree(a: MathNode, b: MathNode): boolean {
  return sameValue(a, b);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** `204_5` matches `204_5` and a bare `204` (the base is the question's); not 54. */
function basedEqual(a: MathNode, b: MathNode): boolean {
  const digits = (n: MathNode) => (n.kind === "based" ? n.digits : n.kind === "number" && n.places === null ? n.value.n.toString() : null);
  if (a.kind === "based" && b.kind === "based") return a.base === b.base && a.digits === b.digits;
  return digits(a) !== null && digits(a) === digits(b);
}

/**
 * The regimes that cover the functions involved: every expression is checked at small mixed
 * and positive points; step and integer functions (floor, factorial, binomial, ...) must also
 * agree at integer points and at wide ones, where such functions part ways.
 */
export function regimesFor(...nodes: MathNode[]): Regime[] {
  const fns = new Set<string>();
  for (const n of nodes) functionsIn(n, fns);
  const stepwise = [...fns].some((fn) => INTEGER_FUNCTIONS.has(fn) || fn.startsWith("apply:"));
  return stepwise ? ["mixed", "positive", "integer", "wide"] : ["mixed", "positive"];
}

/**
 * Evaluates both expressions at seeded random points, regime by regime. Points where either
 * side is undefined are skipped; one clear disagreement decides "different". With step or
 * integer functions every regime runs, and each regime where the expressions are defined must
 * show agreement too.
 */
export function numericCheck(gold: MathNode, pred: MathNode, vars: string[], ctx: CompareContext, imaginary = false): { verdict: Verdict; points: number } {
  const regimes = regimesFor(gold, pred);
  const mustAll = regimes.length > 2;
  const agreeIn = new Map<Regime, number>();
  const definedIn = new Map<Regime, number>();
  let agree = 0;
  for (const point of randomPoints(vars, ctx.seed, regimes)) {
    // Smooth expressions that agree at enough mixed points agree everywhere they are defined.
    if (!mustAll && point.regime !== "mixed" && agree >= ENOUGH) break;
    let verdict: PointVerdict;
    try {
      verdict = pointVerdict(evaluate(gold, point.env, ctx.deadline, imaginary), evaluate(pred, point.env, ctx.deadline, imaginary));
    } catch (error) {
      if (error instanceof FreeVariable) return { verdict: "unknown", points: agree };
      throw error;
    }
    if (verdict === "different") return { verdict, points: agree };
    if (verdict === "undefined") continue;
    definedIn.set(point.regime, (definedIn.get(point.regime) ?? 0) + 1);
    if (verdict === "equal") {
      agree++;
      agreeIn.set(point.regime, (agreeIn.get(point.regime) ?? 0) + 1);
    }
  }
  const covered = regimes.slice(2).every((r) => (definedIn.get(r) ?? 0) === 0 || (agreeIn.get(r) ?? 0) >= ENOUGH_PER_REGIME);
  return { verdict: agree >= ENOUGH && covered ? "equal" : "unknown", points: agree };
}

/** A point's verdict; `undefined` where either side has no value there (√-1 over the reals, 1/0). */
type PointVerdict = Verdict | "undefined";

function pointVerdict(g: Value, p: Value): PointVerdict {
  if (g.t === "m" || p.t === "m") {
    if (g.t !== "m" || p.t !== "m" || g.rows.length !== p.rows.length) return "different";
    const cells: PointVerdict[] = [];
    g.rows.forEach((row, i) => {
      const other = p.rows[i]!;
      if (row.length !== other.length) cells.push("different");
      else row.forEach((cell, j) => cells.push(pointVerdict(cell, other[j]!)));
    });
    // The matrix is as decided as its least decided cell.
    for (const v of ["different", "unknown", "undefined"] as const) if (cells.includes(v)) return v;
    return "equal";
  }
  if (g.t === "u" || p.t === "u") return "unknown";
  if (g.t === "c" || p.t === "c") {
    if (Number.isNaN(toFloat(g)) && g.t !== "c") return "undefined";
    if (Number.isNaN(toFloat(p)) && p.t !== "c") return "undefined";
    if (complexEqual(g, p, 1e-8) === "equal") return "equal";
    return complexEqual(g, p, 1e-4) === "equal" ? "unknown" : "different";
  }
  const a = toFloat(g);
  const b = toFloat(p);
  if (Number.isNaN(a) || Number.isNaN(b)) return "undefined";
  if (g.t === "big" || p.t === "big") {
    const ma = magnitude(g);
    const mb = magnitude(p);
    if (!ma || !mb || ma.sign !== mb.sign) return "different";
    return Math.abs(ma.log10 - mb.log10) > 1e-12 * Math.max(1, Math.abs(ma.log10)) ? "different" : "unknown";
  }
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b ? "equal" : "unknown";
  if (closeEnough(a, b, 1e-8)) return "equal";
  // Between rounding noise and a real difference: let the CAS decide.
  return closeEnough(a, b, 1e-4) ? "unknown" : "different";
}
