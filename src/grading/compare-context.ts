import type { NumberRules } from "./compare-values.js";
import type { Deadline } from "./deadline.js";

/** Settings and the clock of one comparison, passed down the recursive comparers. */
export interface CompareContext {
  rules: NumberRules;
  /** Variable names must match (`f(x)` is not `f(y)`); false also accepts a consistent renaming. */
  strict: boolean;
  /** An inequality answer may match an interval gold (`-2 ≤ x ≤ 7` for `[-2, 7]`). */
  allowSetRelation: boolean;
  /** Unbracketed lists compare in order (true), in any order (false), or as the gold and question say (undefined). */
  orderedLists: boolean | undefined;
  /** The question, when known: it can say whether a list's order matters. */
  question: string | undefined;
  /** Seed of the random points at which expressions with free variables are compared. */
  seed: number;
  /** Ask the CAS when numeric checks cannot decide. */
  useCas: boolean;
  deadline: Deadline;
  /** Why some part could not be decided (magnitudes beyond double range, inconclusive checks); null while all was decided. */
  unknown: string | null;
  /** The rule that chose order or no order for the last list compared, for the reason of a "different". */
  orderRule: string | null;
}

/**
 * The rule that showed two answers equal, as `ponder grade` reports it ("same value",
 * "named left side dropped > same value"); null when no rule did.
 */
export type Rule = string | null;

/** `inner` reached through `outer`: "list in any order > same value". */
export function via(outer: string, inner: Rule): Rule {
  return inner === null ? null : `${outer} > ${inner}`;
}
