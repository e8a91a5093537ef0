import type { NumberRules } from "./compare-values.js";
import type { Deadline } from "./deadline.js";

/** Settings and the clock of one comparison, passed down the recursive comparers. */
export interface CompareContext {
  rules: NumberRules;
  /** Variable names must match (`f(x)` is not `f(y)`); false also accepts a consistent renaming. */
  strict: boolean;
  /** An inequality answer may match an interval gold (`-2 ≤ x ≤ 7` for `[-2, 7]`). */
  allowSetRelation: boolean;
  /** Unbracketed lists compare in order (`10, 4` is not `4, 10`). */
  orderedLists: boolean;
  /** Seed of the random points at which expressions with free variables are compared. */
  seed: number;
  /** Ask the CAS when numeric checks cannot decide. */
  useCas: boolean;
  deadline: Deadline;
}
