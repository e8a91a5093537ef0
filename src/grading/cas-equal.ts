import { createRequire } from "node:module";
import type { Deadline } from "./deadline.js";
import type { MathNode } from "./math-node.js";

type Json = number | string | { num: string } | Json[];

interface BoxedExpression {
  simplify(): BoxedExpression;
  N(): BoxedExpression;
  isSame(other: number): boolean;
  readonly re: number;
  readonly unknowns: readonly string[];
}

interface Engine {
  box(json: Json): BoxedExpression;
  withTimeLimit<T>(ms: number, fn: () => T): T;
}

let engine: Engine | null | undefined;

/** The compute engine, loaded on first use (it takes a few hundred milliseconds); null if it cannot load. */
function computeEngine(): Engine | null {
  if (engine === undefined) {
    try {
      const require = createRequire(import.meta.url);
      const { ComputeEngine } = require("@cortex-js/compute-engine") as { ComputeEngine: new () => Engine };
      engine = new ComputeEngine();
    } catch {
      engine = null;
    }
  }
  return engine;
}

const FUNCTIONS: Record<string, string> = {
  sin: "Sin", cos: "Cos", tan: "Tan", sec: "Sec", csc: "Csc", cot: "Cot", arcsin: "Arcsin", arccos: "Arccos", arctan: "Arctan",
  sinh: "Sinh", cosh: "Cosh", tanh: "Tanh", ln: "Ln", exp: "Exp", abs: "Abs", floor: "Floor", ceil: "Ceil", sqrt: "Sqrt", fact: "Factorial",
};

/** MathJSON for a node, or null for nodes the engine has no counterpart for. */
export function toMathJson(node: MathNode): Json | null {
  const all = (nodes: MathNode[], head: string): Json | null => {
    const parts = nodes.map(toMathJson);
    return parts.some((p) => p === null) ? null : [head, ...(parts as Json[])];
  };
  switch (node.kind) {
    case "number":
      return node.value.d === 1n ? bigint(node.value.n) : ["Rational", bigint(node.value.n), bigint(node.value.d)];
    case "symbol":
      return node.name === "pi" ? "Pi" : node.name === "e" ? "ExponentialE" : node.name === "infty" ? "PositiveInfinity" : node.name.replace(/[^A-Za-z0-9]/g, "");
    case "add":
      return all(node.terms, "Add");
    case "mul":
      return all(node.factors, "Multiply");
    case "div":
      return all([node.num, node.den], "Divide");
    case "neg":
      return all([node.arg], "Negate");
    case "pow":
      return all([node.base, node.exp], "Power");
    case "call":
      if (node.fn === "root") return all(node.args, "Root");
      if (node.fn === "log") return node.args.length === 1 ? all([node.args[0]!, { kind: "number", value: { n: 10n, d: 1n }, places: null, significant: 2 }], "Log") : all(node.args, "Log");
      return FUNCTIONS[node.fn] ? all(node.args, FUNCTIONS[node.fn]!) : null;
    default:
      return null;
  }
}

function bigint(n: bigint): Json {
  return Number.isSafeInteger(Number(n)) ? Number(n) : { num: n.toString() };
}

/**
 * Symbolic check that gold − pred simplifies to zero: true when the engine shows it, false when
 * it shows a nonzero constant, null when it cannot tell (or the time ran out).
 */
export function casEqual(gold: MathNode, pred: MathNode, deadline: Deadline): boolean | null {
  const ce = computeEngine();
  const a = toMathJson(gold);
  const b = toMathJson(pred);
  if (!ce || a === null || b === null) return null;
  const ms = Math.floor(deadline.remaining());
  if (ms < 5) return null;
  try {
    return ce.withTimeLimit(ms, () => {
      const difference = ce.box(["Subtract", a, b]).simplify();
      if (difference.isSame(0)) return true;
      if (difference.unknowns.length > 0) return null;
      const value = difference.N().re;
      return Number.isFinite(value) ? Math.abs(value) < 1e-10 : null;
    });
  } catch {
    return null;
  }
}
