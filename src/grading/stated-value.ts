import { isConstantName, walk } from "./evaluate-expression.js";
import type { Answer, MathNode } from "./math-node.js";

/**
 * A name being defined: `x`, `x_1`, `f(x)`, `(p, q)` — what `x = …` states the value of,
 * where a relation between two expressions would state something else.
 */
export function isNamed(answer: Answer): boolean {
  if (answer.kind === "tuple" || answer.kind === "list") return answer.items.every(isNamed);
  if (answer.kind !== "expr") return false;
  const node = answer.node;
  if (node.kind === "symbol") return !isConstantName(node.name);
  return node.kind === "call" && node.fn.startsWith("apply:") && node.args.every((a) => a.kind === "symbol");
}

/**
 * A quantity named by letters alone, whose value an equation may state: `AB`, `x^3`, `|r-s|`,
 * `a+b`, `m/n`, `E(2020,1993)`, the ratio `A:B`. Numbers may appear only as exponents and
 * arguments: `2x + 3 = 7` is an equation to solve, not the statement that some quantity is 7.
 */
export function isNamedQuantity(answer: Answer): boolean {
  if (answer.kind === "tuple" || answer.kind === "list") return answer.items.length > 0 && answer.items.every(isNamedQuantity);
  return answer.kind === "expr" && namedNode(answer.node);
}

function namedNode(node: MathNode): boolean {
  switch (node.kind) {
    case "symbol":
      return !isConstantName(node.name);
    case "mul":
      return node.factors.every(namedNode);
    case "add":
      return node.terms.every(namedNode);
    case "neg":
      return namedNode(node.arg);
    case "div":
      return namedNode(node.num) && namedNode(node.den);
    case "pow":
      return namedNode(node.base) && (node.exp.kind === "number" || namedNode(node.exp));
    case "call":
      if (node.fn.startsWith("apply:")) return node.args.every((a) => a.kind === "number" || a.kind === "symbol" || namedNode(a));
      return ["abs", "sqrt", "floor", "ceil", "sin", "cos", "tan", "log", "ln"].includes(node.fn) && node.args.every((a) => a.kind === "number" || namedNode(a));
    default:
      return false;
  }
}

/**
 * The value an equation states for a named quantity: `x = 5` and `AB = 5` state 5, `(p, q) =
 * (1, 2)` states (1, 2); null for any other answer. A gold answer is an equation to keep
 * (`xy = 4` is a curve) unless its left side is a bare name or names no variable at all
 * (`E(2020, 1993) = 76`); a predicted one may name any quantity whose value it states as a constant.
 */
export function statedValue(answer: Answer, side: "gold" | "pred"): Answer | null {
  if (answer.kind !== "relation" || answer.ops.length !== 1 || answer.ops[0] !== "=") return null;
  const [lhs, rhs] = answer.sides as [Answer, Answer];
  if (isNamed(lhs)) return rhs;
  if (!isNamedQuantity(lhs)) return null;
  if (side === "gold") return hasVariables(lhs) ? null : rhs;
  return hasVariables(rhs) ? null : rhs;
}

function hasVariables(answer: Answer): boolean {
  let found = false;
  const visit = (a: Answer): void => {
    if (a.kind === "expr") walk(a.node, (n) => {
      if (n.kind === "symbol" && !isConstantName(n.name)) found = true;
    });
    else if (a.kind === "tuple" || a.kind === "list" || a.kind === "set") a.items.forEach(visit);
    else if (a.kind === "interval") found ||= [a.lo, a.hi].some((n) => hasVariables({ kind: "expr", node: n }));
    else if (a.kind === "union") a.parts.forEach(visit);
    else if (a.kind === "relation") a.sides.forEach(visit);
  };
  visit(answer);
  return found;
}
