import type { MathNode } from "./math-node.js";

/**
 * Each one-to-one renaming of pred's variables onto gold's (`y` → `x` for `f(y)` against
 * `f(x)`); none when the counts differ, the names already agree, or there are more than four.
 */
export function* renamings(goldVars: readonly string[], predVars: readonly string[]): Generator<ReadonlyMap<string, string>> {
  if (goldVars.length !== predVars.length || goldVars.length === 0 || goldVars.length > 4) return;
  if (goldVars.every((v, i) => v === predVars[i])) return;
  for (const perm of permutations([...goldVars])) yield new Map(predVars.map((v, i) => [v, perm[i]!] as const));
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

/** The expression with its variables renamed. */
export function renamed(node: MathNode, mapping: ReadonlyMap<string, string>): MathNode {
  const r = (n: MathNode) => renamed(n, mapping);
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
