import type { CompareContext } from "./compare-context.js";
import { expressionsEqual } from "./compare-expressions.js";
import { freeVariables } from "./evaluate-expression.js";
import { relationsEqual, relationToIntervals } from "./compare-relations.js";
import { expr, num, sym, type Answer, type MathNode } from "./math-node.js";
import { isNamed } from "./parse-answer.js";
import { rational } from "./rational.js";

/** Whether `pred` states the same answer as `gold`. Gold decides which forms are acceptable. */
export function matchAnswers(gold: Answer, pred: Answer, ctx: CompareContext): boolean {
  ctx.deadline.check();
  gold = expandPlusMinus(gold);
  pred = expandPlusMinus(pred);
  if (gold.kind === "relation" || pred.kind === "relation") return relationCase(gold, pred, ctx);
  if (gold.kind === "expr" && pred.kind === "expr") return expressionAnswersEqual(gold.node, pred.node, ctx);
  if (gold.kind === "choice" || pred.kind === "choice") return choiceEqual(gold, pred);
  if (gold.kind === "text" || pred.kind === "text") return gold.kind === "text" && pred.kind === "text" && textKey(gold.text) === textKey(pred.text);
  if (gold.kind === "interval" || pred.kind === "interval" || gold.kind === "union" || pred.kind === "union") return setLikeEqual(gold, pred, ctx);
  const g = sequence(gold);
  const p = sequence(pred);
  if (g && p) {
    const ordered = (gold.kind === "tuple" && pred.kind !== "set") || (pred.kind === "tuple" && gold.kind !== "set") || (ctx.orderedLists && gold.kind === "list" && pred.kind === "list");
    return ordered ? sameOrder(g, p, ctx) : sameItems(g, p, ctx);
  }
  // A one-element set against its element: `\{5\}` and `5`.
  if (gold.kind === "set" && gold.items.length === 1) return matchAnswers(gold.items[0]!, pred, ctx);
  if (pred.kind === "set" && pred.items.length === 1) return matchAnswers(gold, pred.items[0]!, ctx);
  return false;
}

function relationCase(gold: Answer, pred: Answer, ctx: CompareContext): boolean {
  if (gold.kind === "relation" && pred.kind === "relation" && relationsEqual(gold, pred, ctx)) return true;
  // "x = 2" states 2, unless the gold asks for the equation itself.
  const stated = (a: Answer) => (a.kind === "relation" && a.ops.length === 1 && a.ops[0] === "=" && isNamed(a.sides[0]!) ? a.sides[1]! : null);
  if (gold.kind === "relation" && pred.kind === "relation") {
    const g = stated(gold);
    const p = stated(pred);
    return g !== null && p !== null && sameNames(gold.sides[0]!, pred.sides[0]!) && matchAnswers(g, p, ctx);
  }
  if (gold.kind === "relation") {
    const g = stated(gold);
    if (g) return matchAnswers(g, pred, ctx);
    // An interval answers an inequality gold: it is the same set, written as a set.
    const intervals = relationToIntervals(gold);
    return intervals !== null && (pred.kind === "interval" || pred.kind === "union") && matchAnswers(intervals, pred, ctx);
  }
  if (pred.kind === "relation") {
    const p = stated(pred);
    if (p) return matchAnswers(gold, p, ctx);
    // "1/2 = 10/9", a computation carried to its end: the value stated last is the answer.
    const last = pred.sides[pred.sides.length - 1]!;
    if (pred.ops.every((op) => op === "=") && pred.sides.slice(0, -1).every(isConstant) && matchAnswers(gold, last, ctx)) return true;
    const intervals = ctx.allowSetRelation ? relationToIntervals(pred) : null;
    return intervals !== null && matchAnswers(gold, intervals, ctx);
  }
  return false;
}

function isConstant(a: Answer): boolean {
  return a.kind === "expr" && freeVariables(a.node).size === 0;
}

function sameNames(a: Answer, b: Answer): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Numbers marked `%` or `°` also stand for their fraction or radian value when the other side
 * is unmarked: 28% matches 28 and 0.28; 90° matches 90 and π/2.
 */
function expressionAnswersEqual(gold: MathNode, pred: MathNode, ctx: CompareContext): boolean {
  if (expressionsEqual(gold, pred, ctx)) return true;
  const gAlt = markedAlternative(gold);
  const pAlt = markedAlternative(pred);
  if (gAlt && pAlt) return false;
  if (gAlt) return expressionsEqual(gAlt, pred, ctx);
  if (pAlt) return expressionsEqual(gold, pAlt, ctx);
  return false;
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

function setLikeEqual(gold: Answer, pred: Answer, ctx: CompareContext): boolean {
  const g = gold.kind === "union" ? gold.parts : [gold];
  const p = pred.kind === "union" ? pred.parts : [pred];
  if (g.length > 1 || p.length > 1) return g.length === p.length && sameItems(g, p, ctx);
  const [a, b] = [g[0]!, p[0]!];
  if (a.kind === "interval" && b.kind === "interval") {
    return a.loClosed === b.loClosed && a.hiClosed === b.hiClosed && expressionsEqual(a.lo, b.lo, ctx) && expressionsEqual(a.hi, b.hi, ctx);
  }
  // "(1, 3)" is both a pair and an open interval.
  const pair = (x: Answer) => (x.kind === "tuple" && x.items.length === 2 && x.items.every((i) => i.kind === "expr") ? x.items.map((i) => (i as { node: MathNode }).node) : null);
  const open = (x: Answer) => (x.kind === "interval" && !x.loClosed && !x.hiClosed ? [x.lo, x.hi] : null);
  const left = open(a) ?? pair(a);
  const right = open(b) ?? pair(b);
  if (!left || !right || (a.kind !== "interval" && b.kind !== "interval")) return false;
  return expressionsEqual(left[0]!, right[0]!, ctx) && expressionsEqual(left[1]!, right[1]!, ctx);
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

function sameOrder(g: Answer[], p: Answer[], ctx: CompareContext): boolean {
  return g.length === p.length && g.every((item, i) => matchAnswers(item, p[i]!, ctx));
}

/** Order-free matching of two lists, each item used once (backtracking; lists are short). */
function sameItems(g: Answer[], p: Answer[], ctx: CompareContext): boolean {
  if (g.length !== p.length) return false;
  const used = new Array<boolean>(p.length).fill(false);
  const match = (i: number): boolean => {
    if (i === g.length) return true;
    for (let j = 0; j < p.length; j++) {
      if (used[j] || !matchAnswers(g[i]!, p[j]!, ctx)) continue;
      used[j] = true;
      if (match(i + 1)) return true;
      used[j] = false;
    }
    return false;
  };
  return match(0);
}

/** `1 ± √19` stands for the list of both values. */
export function expandPlusMinus(a: Answer): Answer {
  if (a.kind !== "expr") return a;
  const values = expandNode(a.node, 0);
  return values.length === 1 ? a : { kind: "list", items: values.map(expr) };
}

function expandNode(node: MathNode, depth: number): MathNode[] {
  if (depth > 3) return [node];
  switch (node.kind) {
    case "pm": {
      const lefts = expandNode(node.left, depth + 1);
      const rights = expandNode(node.right, depth + 1);
      return lefts.flatMap((l) => rights.flatMap((r): MathNode[] => [
        { kind: "add", terms: [l, node.sign === 1 ? r : { kind: "neg", arg: r }] },
        { kind: "add", terms: [l, node.sign === 1 ? { kind: "neg", arg: r } : r] },
      ]));
    }
    case "add":
      return combine(node.terms, depth, (terms) => ({ kind: "add", terms }));
    case "mul":
      return combine(node.factors, depth, (factors) => ({ kind: "mul", factors }));
    case "div":
      return combine([node.num, node.den], depth, ([n, d]) => ({ kind: "div", num: n!, den: d! }));
    case "neg":
      return expandNode(node.arg, depth + 1).map((arg) => ({ kind: "neg", arg }));
    default:
      return [node];
  }
}

function combine(parts: MathNode[], depth: number, build: (parts: MathNode[]) => MathNode): MathNode[] {
  let out: MathNode[][] = [[]];
  for (const part of parts) {
    const options = expandNode(part, depth + 1);
    out = out.flatMap((prefix) => options.map((o) => [...prefix, o]));
    if (out.length > 8) return [build(parts)];
  }
  return out.map(build);
}
