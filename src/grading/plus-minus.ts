import { expr, type Answer, type MathNode } from "./math-node.js";

/** `1 ± √19` stands for the list of both values. */
export function expandPlusMinus(a: Answer): Answer {
  if (a.kind !== "expr" || !hasPlusMinus(a.node)) return a;
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

function hasPlusMinus(node: MathNode): boolean {
  switch (node.kind) {
    case "pm":
      return true;
    case "add":
      return node.terms.some(hasPlusMinus);
    case "mul":
      return node.factors.some(hasPlusMinus);
    case "div":
      return hasPlusMinus(node.num) || hasPlusMinus(node.den);
    case "neg":
      return hasPlusMinus(node.arg);
    default:
      return false;
  }
}
