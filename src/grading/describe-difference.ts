import type { CompareContext } from "./compare-context.js";
import { freeVariables } from "./evaluate-expression.js";
import type { Answer } from "./math-node.js";

const NAMES: Record<Answer["kind"], string> = {
  expr: "an expression",
  tuple: "a tuple",
  list: "an unbracketed list",
  set: "a set",
  interval: "an interval",
  union: "a union",
  relation: "a relation",
  choice: "a choice letter",
  text: "text",
};

/** Why two answers that no rule matched are different, in a few words, for `ponder grade`. */
export function describeDifference(gold: Answer, pred: Answer, ctx: CompareContext): string {
  const kinds = (a: Answer) => (a.kind === "expr" && a.node.kind === "matrix" ? "a matrix" : NAMES[a.kind]);
  const items = (a: Answer) => (a.kind === "tuple" || a.kind === "list" || a.kind === "set" ? a.items.length : null);
  if (items(gold) !== null && items(pred) !== null) {
    if (items(gold) !== items(pred)) return `${items(gold)} items against ${items(pred)}`;
    return ctx.orderRule ? `items differ; list compared ${ctx.orderRule}` : "items differ";
  }
  if (gold.kind === "expr" && pred.kind === "expr") {
    const vars = freeVariables(gold.node).size + freeVariables(pred.node).size;
    return vars === 0 ? "values differ" : "expressions differ at random points";
  }
  if (gold.kind !== pred.kind) return `gold is ${kinds(gold)}, pred is ${kinds(pred)}`;
  return `${kinds(gold).replace(/^an? /, "")}s differ`;
}
