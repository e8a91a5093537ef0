import { casEqual } from "./cas-equal.js";
import type { CompareContext } from "./compare-context.js";
import { closeEnough, valuesEqual } from "./compare-values.js";
import { evaluate, FreeVariable, freeVariables, toFloat, type Value } from "./evaluate-expression.js";
import type { MathNode } from "./math-node.js";
import { randomPoints } from "./random-points.js";

/** Agreeing points needed to call two expressions equal. */
const ENOUGH = 4;

type Verdict = "equal" | "different" | "unknown";

/** Whether two expressions denote the same value (or the same function of their variables). */
export function expressionsEqual(gold: MathNode, pred: MathNode, ctx: CompareContext): boolean {
  if (sameTree(gold, pred)) return true;
  if (gold.kind === "based" || pred.kind === "based") return basedEqual(gold, pred);
  const goldVars = freeVariables(gold);
  const predVars = freeVariables(pred);
  const vars = [...new Set([...goldVars, ...predVars])].sort();
  if (vars.length === 0) {
    try {
      return valuesEqual(evaluate(gold, null, ctx.deadline), evaluate(pred, null, ctx.deadline), gold, pred, ctx.rules);
    } catch (error) {
      if (error instanceof FreeVariable) return false;
      throw error;
    }
  }
  const verdict = numericCheck(gold, pred, vars, ctx);
  if (verdict === "equal") return true;
  if (verdict === "unknown" && ctx.useCas && casEqual(gold, pred, ctx.deadline) === true) return true;
  if (!ctx.strict) return renamedEqual(gold, pred, [...goldVars].sort(), [...predVars].sort(), ctx);
  return false;
}

/** Structural identity, the cheap first test. */
export function sameTree(a: MathNode, b: MathNode): boolean {
  return JSON.stringify(a, bigintSafe) === JSON.stringify(b, bigintSafe);
}

function bigintSafe(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

/** `204_5` matches `204_5` and a bare `204` (the base is the question's); not 54. */
function basedEqual(a: MathNode, b: MathNode): boolean {
  const digits = (n: MathNode) => (n.kind === "based" ? n.digits : n.kind === "number" && n.places === null ? n.value.n.toString() : null);
  if (a.kind === "based" && b.kind === "based") return a.base === b.base && a.digits === b.digits;
  return digits(a) !== null && digits(a) === digits(b);
}

/**
 * Evaluates both expressions at seeded random points, first with mixed signs, then positive
 * only (for square roots and logarithms). Points where either side is undefined are skipped.
 */
function numericCheck(gold: MathNode, pred: MathNode, vars: string[], ctx: CompareContext): Verdict {
  let agree = 0;
  let regime = "mixed";
  for (const point of randomPoints(vars, ctx.seed)) {
    if (point.regime !== regime) {
      if (agree >= ENOUGH) return "equal";
      regime = point.regime;
    }
    let g: Value;
    let p: Value;
    try {
      g = evaluate(gold, point.env, ctx.deadline);
      p = evaluate(pred, point.env, ctx.deadline);
    } catch (error) {
      if (error instanceof FreeVariable) return "unknown";
      throw error;
    }
    const verdict = pointVerdict(g, p);
    if (verdict === "different") return "different";
    if (verdict === "equal") agree++;
  }
  return agree >= ENOUGH ? "equal" : "unknown";
}

function pointVerdict(g: Value, p: Value): Verdict {
  if (g.t === "m" || p.t === "m") {
    if (g.t !== "m" || p.t !== "m" || g.rows.length !== p.rows.length) return "different";
    let all: Verdict = "equal";
    g.rows.forEach((row, i) => {
      const other = p.rows[i]!;
      if (row.length !== other.length) all = "different";
      else row.forEach((cell, j) => {
        const v = pointVerdict(cell, other[j]!);
        if (v === "different") all = "different";
        else if (v === "unknown" && all === "equal") all = "unknown";
      });
    });
    return all;
  }
  const a = toFloat(g);
  const b = toFloat(p);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b && !Number.isNaN(a) ? "equal" : "unknown";
  if (closeEnough(a, b, 1e-8)) return "equal";
  // Between rounding noise and a real difference: let the CAS decide.
  return closeEnough(a, b, 1e-4) ? "unknown" : "different";
}

/** With `strict` off, `f(x)` matches `f(y)`: try each renaming of pred's variables onto gold's. */
function renamedEqual(gold: MathNode, pred: MathNode, goldVars: string[], predVars: string[], ctx: CompareContext): boolean {
  if (goldVars.length !== predVars.length || goldVars.length === 0 || goldVars.length > 4) return false;
  if (goldVars.every((v, i) => v === predVars[i])) return false;
  for (const perm of permutations(goldVars)) {
    const mapping = new Map(predVars.map((v, i) => [v, perm[i]!] as const));
    const renamed = rename(pred, mapping);
    if (numericCheck(gold, renamed, goldVars, ctx) === "equal") return true;
  }
  return false;
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

function rename(node: MathNode, mapping: ReadonlyMap<string, string>): MathNode {
  const r = (n: MathNode) => rename(n, mapping);
  switch (node.kind) {
    case "symbol":
      return { kind: "symbol", name: mapping.get(node.name) ?? node.name };
    case "add":
      return { kind: "add", terms: node.terms.map(r) };
    case "mul":
      return { kind: "mul", factors: node.factors.map(r) };
    case "div":
      return { kind: "div", num: r(node.num), den: r(node.den) };
    case "neg":
    case "percent":
    case "degree":
      return { ...node, arg: r(node.arg) };
    case "pow":
      return { kind: "pow", base: r(node.base), exp: r(node.exp) };
    case "call":
      return { ...node, args: node.args.map(r) };
    case "pm":
      return { ...node, left: r(node.left), right: r(node.right) };
    case "matrix":
      return { kind: "matrix", rows: node.rows.map((row) => row.map(r)) };
    default:
      return node;
  }
}
