import type { CompareContext, Rule } from "./compare-context.js";
import type { Deadline } from "./deadline.js";
import { evaluate } from "./evaluate-expression.js";
import type { MathNode } from "./math-node.js";

/**
 * Expressions whose values lie beyond double range and agree in magnitude (10^{10^{10}} and
 * 10^{10^{10}} + 1) are compared symbolically: each term beyond range that both sides share,
 * written the same way, becomes one variable, and the two sides are compared as functions of
 * it. `check` is the comparison of expressions with free variables.
 */
export function hugeTermsEqual(gold: MathNode, pred: MathNode, ctx: CompareContext, check: (g: MathNode, p: MathNode, vars: string[]) => "equal" | "different" | "unknown"): Rule | "different" {
  const predKeys = new Set<string>();
  collectKeys(pred, predKeys);
  const names = new Map<string, string>();
  findShared(gold, predKeys, names, ctx.deadline);
  if (names.size === 0) return null;
  const g = abstracted(gold, names);
  const p = abstracted(pred, names);
  const verdict = check(g, p, [...names.values()]);
  if (verdict === "equal") return "equal with each common term beyond double range as a variable";
  return verdict === "different" ? "different" : null;
}

function key(node: MathNode): string {
  return JSON.stringify(node, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
}

function collectKeys(node: MathNode, out: Set<string>): void {
  if (node.kind === "pow" || node.kind === "call") out.add(key(node));
  for (const child of children(node)) collectKeys(child, out);
}

/** The largest shared terms that evaluate beyond range, each named once. */
function findShared(node: MathNode, predKeys: ReadonlySet<string>, names: Map<string, string>, deadline: Deadline): void {
  if (node.kind === "pow" || node.kind === "call") {
    const k = key(node);
    if (predKeys.has(k)) {
      let beyond = false;
      try {
        const v = evaluate(node, null, deadline);
        beyond = v.t === "big" || v.t === "u";
      } catch {
        beyond = false;
      }
      if (beyond) {
        if (!names.has(k)) names.set(k, `\u27e8huge${names.size}\u27e9`);
        return;
      }
    }
  }
  for (const child of children(node)) findShared(child, predKeys, names, deadline);
}

function children(node: MathNode): MathNode[] {
  switch (node.kind) {
    case "add":
      return node.terms;
    case "mul":
      return node.factors;
    case "div":
      return [node.num, node.den];
    case "pow":
      return [node.base, node.exp];
    case "neg":
    case "percent":
    case "degree":
      return [node.arg];
    case "call":
      return node.args;
    case "pm":
      return [node.left, node.right];
    case "matrix":
      return node.rows.flat();
    default:
      return [];
  }
}

/** The tree with each named term replaced by its variable. */
function abstracted(node: MathNode, names: ReadonlyMap<string, string>): MathNode {
  if (node.kind === "pow" || node.kind === "call") {
    const name = names.get(key(node));
    if (name) return { kind: "symbol", name };
  }
  const rebuilt = (n: MathNode): MathNode => abstracted(n, names);
  switch (node.kind) {
    case "add":
      return { kind: "add", terms: node.terms.map(rebuilt) };
    case "mul":
      return { kind: "mul", factors: node.factors.map(rebuilt) };
    case "div":
      return { kind: "div", num: rebuilt(node.num), den: rebuilt(node.den) };
    case "pow":
      return { kind: "pow", base: rebuilt(node.base), exp: rebuilt(node.exp) };
    case "neg":
    case "percent":
    case "degree":
      return { ...node, arg: rebuilt(node.arg) };
    case "call":
      return { ...node, args: node.args.map(rebuilt) };
    case "matrix":
      return { kind: "matrix", rows: node.rows.map((row) => row.map(rebuilt)) };
    case "pm":
      return { ...node, left: rebuilt(node.left), right: rebuilt(node.right) };
    default:
      return node;
  }
}
