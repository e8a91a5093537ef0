import { freeVariables } from "./evaluate-expression.js";
import type { Answer, MathNode } from "./math-node.js";

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

/** The free variables of a whole answer, every part of it together. */
export function answerVariables(answer: Answer, out = new Set<string>()): Set<string> {
  switch (answer.kind) {
    case "expr":
      return freeVariables(answer.node, out);
    case "tuple":
    case "list":
    case "set":
      for (const item of answer.items) answerVariables(item, out);
      return out;
    case "union":
      for (const part of answer.parts) answerVariables(part, out);
      return out;
    case "relation":
      for (const side of answer.sides) answerVariables(side, out);
      return out;
    case "interval":
      freeVariables(answer.lo, out);
      return freeVariables(answer.hi, out);
    default:
      return out;
  }
}

/**
 * The whole answer with one renaming applied to every part: `f(y) = y^2` becomes `f(x) = x^2`,
 * while `f(y) = x^2` never matches `f(x) = x^2` (a renaming per side would let it).
 */
export function renamedAnswer(answer: Answer, mapping: ReadonlyMap<string, string>): Answer {
  const r = (a: Answer) => renamedAnswer(a, mapping);
  switch (answer.kind) {
    case "expr":
      return { kind: "expr", node: renamed(answer.node, mapping) };
    case "tuple":
    case "list":
    case "set":
      return { ...answer, items: answer.items.map(r) };
    case "union":
      return { kind: "union", parts: answer.parts.map(r) };
    case "relation":
      return { ...answer, sides: answer.sides.map(r) };
    case "interval":
      return { ...answer, lo: renamed(answer.lo, mapping), hi: renamed(answer.hi, mapping) };
    default:
      return answer;
  }
}
