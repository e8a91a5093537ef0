import { matchAnswers } from "./compare-answers.js";
import { via, type CompareContext, type Rule } from "./compare-context.js";
import { closeEnough } from "./compare-values.js";
import { evaluate, FreeVariable, freeVariables } from "./evaluate-expression.js";
import { sym, type Answer, type MathNode, type RelationOp } from "./math-node.js";
import { randomPoints } from "./random-points.js";
import { statedValue } from "./stated-value.js";
import { toFloat } from "./values.js";

type Relation = Extract<Answer, { kind: "relation" }>;

const FLIP: Partial<Record<RelationOp, RelationOp>> = { ">": "<", "≥": "≤" };

/**
 * Either side is a relation. Two relations match as relations (see `relationsEqual`); an
 * equation that names a quantity (`x = 2`, `AB = 10`, `E(2020, 1993) = 76`) also states its
 * value; an inequality in one variable states a set, which an interval may write.
 */
export function relationCase(gold: Answer, pred: Answer, ctx: CompareContext): Rule {
  if (gold.kind === "relation" && pred.kind === "relation") {
    const same = relationsEqual(gold, pred, ctx);
    if (same) return same;
    const g = statedValue(gold, "gold");
    const p = statedValue(pred, "pred");
    if (g === null || p === null || !sameNames(gold.sides[0]!, pred.sides[0]!)) return null;
    return via("same name, value stated", matchAnswers(g, p, ctx));
  }
  if (gold.kind === "relation") {
    const g = statedValue(gold, "gold");
    if (g) return via("gold's named left side dropped", matchAnswers(g, pred, ctx));
    const intervals = relationToIntervals(gold);
    const setLike = pred.kind === "interval" || pred.kind === "union" || (pred.kind === "tuple" && pred.items.length === 2);
    return intervals !== null && setLike ? via("inequality read as an interval", matchAnswers(intervals, pred, ctx)) : null;
  }
  if (pred.kind !== "relation") return null;
  const p = statedValue(pred, "pred");
  if (p) return via("named left side dropped", matchAnswers(gold, p, ctx));
  // "1/2 = 10/9", a computation carried to its end: the value stated last is the answer.
  const last = pred.sides[pred.sides.length - 1]!;
  if (pred.ops.every((op) => op === "=") && pred.sides.slice(0, -1).every(isConstant)) {
    const rule = via("computation: the value stated last", matchAnswers(gold, last, ctx));
    if (rule) return rule;
  }
  const intervals = ctx.allowSetRelation ? relationToIntervals(pred) : null;
  return intervals !== null ? via("inequality read as an interval", matchAnswers(gold, intervals, ctx)) : null;
}

function isConstant(a: Answer): boolean {
  return a.kind === "expr" && freeVariables(a.node).size === 0;
}

function sameNames(a: Answer, b: Answer): boolean {
  return JSON.stringify(a, (_k, v) => (typeof v === "bigint" ? v.toString() : v)) === JSON.stringify(b, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
}

/**
 * Equations match when one is a nonzero multiple of the other (`2x + 4y - 3 = 0` and
 * `y = -x/2 + 3/4`); inequalities when the multiple is positive (`x < 1` and `-x > -1`);
 * chains (`-2 ≤ x ≤ 7`, `f(2) < f(1) < f(4)`) side by side.
 */
export function relationsEqual(gold: Relation, pred: Relation, ctx: CompareContext): Rule {
  const g = orient(gold);
  const p = orient(pred);
  if (g.ops.length !== p.ops.length || g.ops.some((op, i) => op !== p.ops[i])) return null;
  if (g.ops.length === 1) {
    const gSides = exprSides(g);
    const pSides = exprSides(p);
    if (gSides && pSides) {
      const op = g.ops[0]!;
      const sign = op === "=" || op === "≠" ? "any" : "positive";
      if (proportional(difference(gSides), difference(pSides), sign, ctx)) return "equivalent relation (sides' differences proportional)";
    }
  }
  const rules: string[] = [];
  for (let i = 0; i < g.sides.length; i++) {
    const rule = matchAnswers(g.sides[i]!, p.sides[i]!, ctx);
    if (!rule) return null;
    rules.push(rule);
  }
  return `relation side by side > ${[...new Set(rules)].join("; ")}`;
}

/** The relation written with < and ≤ only when it uses > or ≥ only. */
function orient(r: Relation): Relation {
  if (!r.ops.every((op) => FLIP[op])) return r;
  return { kind: "relation", sides: [...r.sides].reverse(), ops: r.ops.map((op) => FLIP[op]!).reverse() };
}

function exprSides(r: Relation): [MathNode, MathNode] | null {
  const [a, b] = r.sides;
  return a?.kind === "expr" && b?.kind === "expr" ? [a.node, b.node] : null;
}

function difference([lhs, rhs]: [MathNode, MathNode]): MathNode {
  return { kind: "add", terms: [lhs, { kind: "neg", arg: rhs }] };
}

/** Whether a = c·b for one constant c (nonzero, or positive), checked at seeded random points. */
function proportional(a: MathNode, b: MathNode, sign: "any" | "positive", ctx: CompareContext): boolean {
  const vars = [...new Set([...freeVariables(a), ...freeVariables(b)])].sort();
  if (vars.length === 0) return false;
  let ratio: number | null = null;
  let seen = 0;
  for (const { env } of randomPoints(vars, ctx.seed)) {
    let x: number;
    let y: number;
    try {
      x = toFloat(evaluate(a, env, ctx.deadline));
      y = toFloat(evaluate(b, env, ctx.deadline));
    } catch (error) {
      if (error instanceof FreeVariable) return false;
      throw error;
    }
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    const xZero = Math.abs(x) < 1e-12;
    const yZero = Math.abs(y) < 1e-12;
    if (xZero && yZero) continue;
    if (xZero || yZero) return false;
    const r = x / y;
    if (ratio === null) ratio = r;
    else if (!closeEnough(r, ratio, 1e-7)) return false;
    seen++;
  }
  return ratio !== null && seen >= 3 && (sign === "any" || ratio > 0);
}

const INFINITY: MathNode = sym("infty");
const MINUS_INFINITY: MathNode = { kind: "neg", arg: sym("infty") };

/**
 * The set an inequality in one variable describes: `x < 3` is (-∞, 3), `-2 ≤ x ≤ 7` is [-2, 7],
 * `x ≠ 3` is (-∞, 3) ∪ (3, ∞). Null for anything else.
 */
export function relationToIntervals(rel: Relation): Answer | null {
  const r = orient(rel);
  const nodes = r.sides.map((s) => (s.kind === "expr" ? s.node : null));
  if (nodes.some((n) => n === null)) return null;
  const [a, b, c] = nodes as MathNode[];
  const isVar = (n: MathNode) => n.kind === "symbol" && !["pi", "e", "infty"].includes(n.name);
  const isConst = (n: MathNode) => freeVariables(n).size === 0;
  if (r.ops.length === 2 && isConst(a!) && isVar(b!) && isConst(c!) && r.ops.every((op) => op === "<" || op === "≤")) {
    return { kind: "interval", lo: a!, hi: c!, loClosed: r.ops[0] === "≤", hiClosed: r.ops[1] === "≤" };
  }
  if (r.ops.length !== 1) return null;
  const op = r.ops[0]!;
  if (isVar(a!) && isConst(b!)) return ray(op, b!, "var-left");
  if (isConst(a!) && isVar(b!)) return ray(op, a!, "var-right");
  return null;
}

function ray(op: RelationOp, bound: MathNode, side: "var-left" | "var-right"): Answer | null {
  if (op === "≠") {
    return {
      kind: "union",
      parts: [
        { kind: "interval", lo: MINUS_INFINITY, hi: bound, loClosed: false, hiClosed: false },
        { kind: "interval", lo: bound, hi: INFINITY, loClosed: false, hiClosed: false },
      ],
    };
  }
  if (op !== "<" && op !== "≤") return null;
  const closed = op === "≤";
  // x < c: below c; c < x: above c.
  return side === "var-left"
    ? { kind: "interval", lo: MINUS_INFINITY, hi: bound, loClosed: false, hiClosed: closed }
    : { kind: "interval", lo: bound, hi: INFINITY, loClosed: closed, hiClosed: false };
}
