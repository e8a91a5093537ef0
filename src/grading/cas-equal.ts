import { CasWorker, type Json } from "./cas-worker.js";
import { DeadlineExceeded, type Deadline } from "./deadline.js";
import type { MathNode } from "./math-node.js";

/** One worker per process: the engine takes seconds to load, so it is loaded once and kept. */
const cas = new CasWorker();

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
 * it shows a nonzero constant, null when it cannot tell. The engine runs in a worker that is
 * cut off at the deadline; then this throws DeadlineExceeded, so the comparison ends as a timeout.
 */
export function casEqual(gold: MathNode, pred: MathNode, deadline: Deadline): boolean | null {
  const a = toMathJson(gold);
  const b = toMathJson(pred);
  if (a === null || b === null || !cas.available()) return null;
  const result = cas.run(a, b, deadline.remaining());
  if (result === "timeout") throw new DeadlineExceeded();
  return result;
}
