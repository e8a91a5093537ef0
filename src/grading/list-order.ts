import type { CompareContext } from "./compare-context.js";
import { Deadline } from "./deadline.js";
import { evaluate, freeVariables } from "./evaluate-expression.js";
import type { Answer } from "./math-node.js";
import { statedValue } from "./stated-value.js";
import { toFloat } from "./values.js";

/** Whether an unbracketed list's order is part of the answer, and the rule that said so. */
export interface ListOrder {
  ordered: boolean;
  rule: string;
}

/** The question asks for the values in an order. */
const ORDERED_CUES = /\b(?:in (?:that|this|the same|the given|the following|increasing|decreasing|ascending|descending|numerical|alphabetical) order|in order\b|respectively|from (?:least|smallest|lowest) to (?:greatest|largest|highest)|from (?:greatest|largest|highest) to (?:least|smallest|lowest)|(?:increasing|decreasing|ascending|descending) order)/i;
/** The question asks for a collection of values: solutions, roots, all such numbers. */
const UNORDERED_CUES = /\b(?:in any order|all (?:of )?(?:the )?(?:possible |real |integer |integral |positive |negative |distinct |nonnegative |complex |rational |such )*(?:solutions?|roots?|values?|zeros|zeroes|numbers?|integers?|answers?|choices?|options?|letters?|pairs?)|which of the following|enter all|list all|find all|separated by commas|comma-separated)/i;

/**
 * Decides how two unbracketed lists compare. In order: the setting says so, the question asks
 * for an order ("in increasing order", "respectively"), or the gold lists three or more values
 * out of sorted order (a set of solutions is written sorted; an unsorted list is a sequence).
 * In any order: the setting, the question asks for a collection ("all solutions", "separated by
 * commas"), or the gold's form leaves the order open (two values, or sorted ones).
 */
export function listOrder(goldItems: readonly Answer[], ctx: CompareContext): ListOrder {
  if (ctx.orderedLists === true) return { ordered: true, rule: "in order (orderedLists setting)" };
  if (ctx.orderedLists === false) return { ordered: false, rule: "in any order (orderedLists setting)" };
  if (ctx.question) {
    if (ORDERED_CUES.test(ctx.question)) return { ordered: true, rule: "in order (the question asks for an order)" };
    if (UNORDERED_CUES.test(ctx.question)) return { ordered: false, rule: "in any order (the question asks for a collection)" };
  }
  if (goldItems.length >= 3) {
    const values = goldItems.map(numericValue);
    if (values.every((v) => v !== null) && !sorted(values as number[])) return { ordered: true, rule: "in order (the gold lists 3+ values out of sorted order)" };
  }
  return { ordered: false, rule: "in any order (an unbracketed gold list)" };
}

function numericValue(item: Answer): number | null {
  const value = statedValue(item, "gold") ?? item;
  if (value.kind !== "expr" || freeVariables(value.node).size > 0) return null;
  try {
    const x = toFloat(evaluate(value.node, null, new Deadline(20)));
    return Number.isFinite(x) ? x : null;
  } catch {
    return null;
  }
}

function sorted(values: number[]): boolean {
  const ascending = values.every((v, i) => i === 0 || v >= values[i - 1]!);
  const descending = values.every((v, i) => i === 0 || v <= values[i - 1]!);
  return ascending || descending;
}
