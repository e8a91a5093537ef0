/**
 * Every word the synthetic benchmark writes. The demo models' vocabulary has a piece for each
 * phrase here, so changing a phrase means rebuilding the vocabulary and retraining the models.
 */

/** People; each is one token in the demo vocabulary. */
export const NAMES = ["Ann", "Bob", "Cal", "Dan", "Eve", "Fay", "Gus", "Hal", "Ivy", "Jon", "Kim", "Leo", "Mia", "Ned", "Pam", "Sam", "Tom", "Zoe"] as const;

/** Things counted (plural). */
export const ITEMS = ["apples", "pens", "cards", "coins", "books", "shells", "stamps", "marbles", "beads", "cups", "eggs", "nuts"] as const;

/** The four operations a step applies to the running count. */
export type Operation = "add" | "sub" | "mul" | "div";

/** Sentences stating an operation with operand {n}; the subject comes first. */
export const PHRASES: Readonly<Record<Operation, readonly string[]>> = {
  add: [" buys {n} more.", " finds {n} more.", " gets {n} more."],
  sub: [" gives away {n}.", " loses {n}.", " sells {n}."],
  mul: [" makes it {n} times as many."],
  div: [" splits them into {n} equal piles and keeps one."],
};

/** The symbol a solution step writes for each operation. */
export const SYMBOLS: Readonly<Record<Operation, string>> = { add: "+", sub: "-", mul: "*", div: "/" };

/** Word pieces of the question frame, the answer line and the prompt formats built around it. */
export const FRAME_PIECES = [" has ", "How many ", " does ", " have now?", "The answer is ", "Q: ", "A:\n", "Attempt:\n"] as const;
