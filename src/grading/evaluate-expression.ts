import type { Deadline } from "./deadline.js";
import type { MathNode } from "./math-node.js";
import { complex } from "./complex-values.js";
import { rational } from "./rational.js";
import { add, divide, multiply, negate, power } from "./value-arithmetic.js";
import { call } from "./value-functions.js";
import { f, q, type Value } from "./values.js";

export { toFloat, type Value } from "./values.js";

/** The expression has a free variable and no value was given for it. */
export class FreeVariable extends Error {}

/** Named constants; every other symbol is a variable. */
const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E, infty: Infinity };

export function isConstantName(name: string): boolean {
  return name in CONSTANTS;
}

/** Free variables of an expression. */
export function freeVariables(node: MathNode, out = new Set<string>()): Set<string> {
  walk(node, (n) => {
    if (n.kind === "symbol" && !(n.name in CONSTANTS)) out.add(n.name);
  });
  return out;
}

/** Names of the functions an expression applies (`floor`, `sin`, `apply:f`, ...), and `pow-var` when a variable is an exponent. */
export function functionsIn(node: MathNode, out = new Set<string>()): Set<string> {
  walk(node, (n) => {
    if (n.kind === "call") out.add(n.fn);
    else if (n.kind === "pow" && freeVariables(n.exp).size > 0) out.add("pow-var");
  });
  return out;
}

/** Calls `visit` on every node of the tree. */
export function walk(node: MathNode, visit: (n: MathNode) => void): void {
  visit(node);
  switch (node.kind) {
    case "add":
      node.terms.forEach((t) => walk(t, visit));
      break;
    case "mul":
      node.factors.forEach((t) => walk(t, visit));
      break;
    case "div":
      walk(node.num, visit);
      walk(node.den, visit);
      break;
    case "pow":
      walk(node.base, visit);
      walk(node.exp, visit);
      break;
    case "neg":
    case "percent":
    case "degree":
      walk(node.arg, visit);
      break;
    case "call":
      node.args.forEach((t) => walk(t, visit));
      break;
    case "pm":
      walk(node.left, visit);
      walk(node.right, visit);
      break;
    case "matrix":
      node.rows.forEach((r) => r.forEach((c) => walk(c, visit)));
      break;
  }
}

/**
 * Evaluates an expression: exactly while only rationals meet, in floating point after that,
 * as magnitudes beyond double range. Variables take values from `env` (integers there are
 * exact); a variable missing from it throws FreeVariable. With `imaginary`, `i` is the
 * imaginary unit and values may be complex.
 */
export function evaluate(node: MathNode, env: ReadonlyMap<string, number> | null, deadline: Deadline, imaginary = false): Value {
  deadline.check();
  switch (node.kind) {
    case "number":
      return q(node.value);
    case "symbol": {
      if (node.name in CONSTANTS) return f(CONSTANTS[node.name]!);
      if (imaginary && node.name === "i") return complex(0, 1);
      const v = env?.get(node.name);
      if (v === undefined) throw new FreeVariable(node.name);
      return Number.isSafeInteger(v) ? q(rational(BigInt(v))) : f(v);
    }
    case "based":
      return q(rational(parseBased(node.digits, node.base)));
    case "neg":
      return negate(evaluate(node.arg, env, deadline, imaginary));
    case "percent":
    case "degree":
      return evaluate(node.arg, env, deadline, imaginary);
    case "add":
      return evaluateAll(node.terms, env, deadline, imaginary).reduce(add);
    case "mul":
      return evaluateAll(node.factors, env, deadline, imaginary).reduce(multiply);
    case "div":
      return divide(evaluate(node.num, env, deadline, imaginary), evaluate(node.den, env, deadline, imaginary));
    case "pow":
      return power(evaluate(node.base, env, deadline, imaginary), evaluate(node.exp, env, deadline, imaginary), imaginary);
    case "matrix":
      return { t: "m", rows: node.rows.map((r) => evaluateAll(r, env, deadline, imaginary)) };
    case "call":
      return call(node.fn, evaluateAll(node.args, env, deadline, imaginary), imaginary);
    case "pm":
      throw new FreeVariable("±");
  }
}

/** Each node's value, in order (a loop rather than a closure: this is the hottest path of grading). */
function evaluateAll(nodes: readonly MathNode[], env: ReadonlyMap<string, number> | null, deadline: Deadline, imaginary: boolean): Value[] {
  const out: Value[] = new Array(nodes.length);
  for (let i = 0; i < nodes.length; i++) out[i] = evaluate(nodes[i]!, env, deadline, imaginary);
  return out;
}

function parseBased(digits: string, base: number): bigint {
  let value = 0n;
  for (const d of digits) value = value * BigInt(base) + BigInt(parseInt(d, 36));
  return value;
}
