import { via, type CompareContext, type Rule } from "./compare-context.js";
import { expressionsEqual } from "./compare-expressions.js";
import { relationCase } from "./compare-relations.js";
import { listOrder } from "./list-order.js";
import { expr, num, sym, type Answer, type MathNode } from "./math-node.js";
import { expandPlusMinus } from "./plus-minus.js";
import { rational } from "./rational.js";

export { expandPlusMinus } from "./plus-minus.js";

/** Whether `pred` states the same answer as `gold`, and the rule that showed it. Gold decides which forms are acceptable. */
export function matchAnswers(gold: Answer, pred: Answer, ctx: CompareContext): Rule {
  ctx.deadline.check();
  gold = expandPlusMinus(gold);
  pred = expandPlusMinus(pred);
  if (gold.kind === "relation" || pred.kind === "relation") return relationCase(gold, pred, ctx);
  if (gold.kind === "expr" && pred.kind === "expr") return expressionAnswersEqual(gold.node, pred.node, ctx);
  if (gold.kind === "choice" || pred.kind === "choice") return choiceEqual(gold, pred) ? "same choice letter" : null;
  if (statesNothing(gold) || statesNothing(pred)) return statesNothing(gold) && statesNothing(pred) ? "both state that there is no solution" : null;
  if (gold.kind === "text" || pred.kind === "text") return gold.kind === "text" && pred.kind === "text" && textKey(gold.text) === textKey(pred.text) ? "same text" : null;
  if (gold.kind === "interval" || pred.kind === "interval" || gold.kind === "union" || pred.kind === "union") return setLikeEqual(gold, pred, ctx);
  const g = sequence(gold);
  const p = sequence(pred);
  if (g && p) return sequencesEqual(gold, pred, g, p, ctx);
  // A one-element set against its element: `\{5\}` and `5`.
  if (gold.kind === "set" && gold.items.length === 1) return via("one-element set", matchAnswers(gold.items[0]!, pred, ctx));
  if (pred.kind === "set" && pred.items.length === 1) return via("one-element set", matchAnswers(gold, pred.items[0]!, ctx));
  // "3:4" against a number states the quotient 3/4.
  const g1 = quotient(gold);
  const p1 = quotient(pred);
  if (g1 && pred.kind === "expr") return via("ratio as a fraction", expressionsEqual(g1, pred.node, ctx));
  if (p1 && gold.kind === "expr") return via("ratio as a fraction", expressionsEqual(gold.node, p1, ctx));
  return null;
}

function quotient(a: Answer): MathNode | null {
  if (a.kind !== "tuple" || !a.ratio || a.items.length !== 2 || a.items.some((i) => i.kind !== "expr")) return null;
  const [n, d] = a.items as { node: MathNode }[];
  return { kind: "div", num: n!.node, den: d!.node };
}

/**
 * Tuples compare in order, sets in any order; an unbracketed gold list as `listOrder` decides
 * (from the setting, the question and the gold's own form), and a gold that names its values
 * (`a = 2, b = 4`) is matched by name, or in its order when the prediction lists bare values.
 */
function sequencesEqual(gold: Answer, pred: Answer, g: Answer[], p: Answer[], ctx: CompareContext): Rule {
  if (gold.kind === "tuple" && pred.kind !== "set") return via("tuple in order", sameOrder(g, p, ctx));
  if (gold.kind === "set" || pred.kind === "set") return via("set in any order", sameItems(g, p, ctx));
  if (pred.kind === "tuple" && gold.kind !== "list") return via("tuple in order", sameOrder(g, p, ctx));
  const goldNamed = g.every((i) => i.kind === "relation");
  if (goldNamed && !p.every((i) => i.kind === "relation")) {
    ctx.orderRule = "in order (the gold names its values; the prediction lists them bare)";
    return via(ctx.orderRule, sameOrder(g, p, ctx));
  }
  const order = listOrder(g, ctx);
  ctx.orderRule = order.rule;
  return via(`list ${order.rule}`, order.ordered ? sameOrder(g, p, ctx) : sameItems(g, p, ctx));
}

/**
 * Numbers marked `%` or `°` also stand for their fraction or radian value when the other side
 * is unmarked: 28% matches 28 and 0.28; 90° matches 90 and π/2.
 */
function expressionAnswersEqual(gold: MathNode, pred: MathNode, ctx: CompareContext): Rule {
  const direct = expressionsEqual(gold, pred, ctx);
  if (direct) return direct;
  const gAlt = markedAlternative(gold);
  const pAlt = markedAlternative(pred);
  if (gAlt && pAlt) return null;
  if (gAlt) return via(gold.kind === "degree" ? "degrees as radians" : "percent as a fraction", expressionsEqual(gAlt, pred, ctx));
  if (pAlt) return via(pred.kind === "degree" ? "degrees as radians" : "percent as a fraction", expressionsEqual(gold, pAlt, ctx));
  return null;
}

function markedAlternative(node: MathNode): MathNode | null {
  if (node.kind === "neg") {
    const inner = markedAlternative(node.arg);
    return inner ? { kind: "neg", arg: inner } : null;
  }
  if (node.kind === "percent") return { kind: "div", num: node.arg, den: num(rational(100n)) };
  if (node.kind === "degree") return { kind: "div", num: { kind: "mul", factors: [node.arg, sym("pi")] }, den: num(rational(180n)) };
  return null;
}

function choiceEqual(gold: Answer, pred: Answer): boolean {
  const letter = (a: Answer) => (a.kind === "choice" ? a.letter : a.kind === "expr" && a.node.kind === "symbol" && /^[A-Za-z]$/.test(a.node.name) ? a.node.name.toUpperCase() : null);
  const g = letter(gold);
  return g !== null && g === letter(pred);
}

function textKey(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "");
}

/** "No solution", "there are no real roots", "none", "DNE", ∅: one answer, however it is put. */
const NOTHING = /^(?:(?:thereis|thereare|thereexists?)?(?:no|notany)(?:real|integer|integral|such|possible|valid|positive|negative|rational|complex|common)*(?:solutions?|roots?|values?|answers?|suchnumbers?|intersections?|points?|zeros?|zeroes)|none|(?:the)?emptyset|dne|doesnotexist)$/;

function statesNothing(a: Answer): boolean {
  if (a.kind === "set") return a.items.length === 0;
  return a.kind === "text" && NOTHING.test(textKey(a.text));
}

function setLikeEqual(gold: Answer, pred: Answer, ctx: CompareContext): Rule {
  const g = gold.kind === "union" ? gold.parts : [gold];
  const p = pred.kind === "union" ? pred.parts : [pred];
  if (g.length > 1 || p.length > 1) return g.length === p.length ? via("union in any order", sameItems(g, p, ctx)) : null;
  const [a, b] = [g[0]!, p[0]!];
  if (a.kind === "interval" && b.kind === "interval") {
    if (a.loClosed !== b.loClosed || a.hiClosed !== b.hiClosed) return null;
    return expressionsEqual(a.lo, b.lo, ctx) && expressionsEqual(a.hi, b.hi, ctx) ? "same interval" : null;
  }
  // "(1, 3)" is both a pair and an open interval.
  const left = openEnds(a);
  const right = openEnds(b);
  if (!left || !right || (a.kind !== "interval" && b.kind !== "interval")) return null;
  return expressionsEqual(left[0], right[0], ctx) && expressionsEqual(left[1], right[1], ctx) ? "open interval written as a pair" : null;
}

/** The ends of an open interval, or of a pair that may be one. */
export function openEnds(x: Answer): [MathNode, MathNode] | null {
  if (x.kind === "interval") return !x.loClosed && !x.hiClosed ? [x.lo, x.hi] : null;
  if (x.kind === "tuple" && x.items.length === 2 && x.items.every((i) => i.kind === "expr")) return [(x.items[0] as { node: MathNode }).node, (x.items[1] as { node: MathNode }).node];
  return null;
}

/** The entries of a list-like answer; a matrix with one row or column counts as a vector. */
function sequence(a: Answer): Answer[] | null {
  if (a.kind === "tuple") return a.items;
  // In a set or a list, "1 ± √5" is two of the entries.
  if (a.kind === "list" || a.kind === "set") return a.items.flatMap((item) => {
    const expanded = expandPlusMinus(item);
    return expanded.kind === "list" && item.kind === "expr" ? expanded.items : [item];
  });
  if (a.kind === "expr" && a.node.kind === "matrix") {
    const rows = a.node.rows;
    if (rows.length === 1) return rows[0]!.map(expr);
    if (rows.every((r) => r.length === 1)) return rows.map((r) => expr(r[0]!));
  }
  return null;
}

function sameOrder(g: Answer[], p: Answer[], ctx: CompareContext): Rule {
  if (g.length !== p.length) return null;
  const rules: string[] = [];
  for (let i = 0; i < g.length; i++) {
    const rule = matchAnswers(g[i]!, p[i]!, ctx);
    if (!rule) return null;
    rules.push(rule);
  }
  return summarize(rules);
}

/** Order-free matching of two lists, each item used once (backtracking; lists are short). */
function sameItems(g: Answer[], p: Answer[], ctx: CompareContext): Rule {
  if (g.length !== p.length) return null;
  const used = new Array<boolean>(p.length).fill(false);
  const rules: string[] = [];
  const match = (i: number): boolean => {
    if (i === g.length) return true;
    for (let j = 0; j < p.length; j++) {
      if (used[j]) continue;
      const rule = matchAnswers(g[i]!, p[j]!, ctx);
      if (!rule) continue;
      used[j] = true;
      rules[i] = rule;
      if (match(i + 1)) return true;
      used[j] = false;
    }
    return false;
  };
  return match(0) ? summarize(rules) : null;
}

/** The items' rules, each named once: "same exact value; equal at 4 random points". */
function summarize(rules: string[]): string {
  const distinct = [...new Set(rules)];
  return distinct.length === 0 ? "empty" : distinct.join("; ");
}
