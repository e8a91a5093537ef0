import type { Rational } from "./rational.js";

/** A mathematical expression, as parsed from an answer. */
export type MathNode =
  /** A literal number; `places` is the count of digits written after a decimal point (null for integers). */
  | { kind: "number"; value: Rational; places: number | null; significant: number }
  /** A variable or named constant (`x`, `x_1`, `pi`, `e`, `infty`, `alpha`). */
  | { kind: "symbol"; name: string }
  | { kind: "add"; terms: MathNode[] }
  | { kind: "mul"; factors: MathNode[] }
  | { kind: "div"; num: MathNode; den: MathNode }
  | { kind: "neg"; arg: MathNode }
  | { kind: "pow"; base: MathNode; exp: MathNode }
  /** A function: sqrt, root (args: radicand, index), sin, ..., log (args: x, base?), abs, fact, binom, apply:f. */
  | { kind: "call"; fn: string; args: MathNode[] }
  /** `left ± right`; `sign` -1 for ∓. Stands for two values. */
  | { kind: "pm"; left: MathNode; right: MathNode; sign: 1 | -1 }
  /** `x%`: x, or x/100 when read as a fraction. */
  | { kind: "percent"; arg: MathNode }
  /** `x°`: x, or x·π/180 when read in radians. */
  | { kind: "degree"; arg: MathNode }
  | { kind: "matrix"; rows: MathNode[][] }
  /** A numeral in another base, `204_5`. */
  | { kind: "based"; digits: string; base: number };

export type RelationOp = "=" | "<" | ">" | "≤" | "≥" | "≠" | "≈";

/** A whole answer: one expression or a structure of them. */
export type Answer =
  | { kind: "expr"; node: MathNode }
  /** Bracketed and ordered: `(1, 2)`, `[1, 2, 3]` with three or more entries; `ratio` for `3:4`. */
  | { kind: "tuple"; items: Answer[]; ratio?: true }
  /** Unbracketed `1, 2` (or items joined by "and"): a list whose order usually does not matter. */
  | { kind: "list"; items: Answer[] }
  /** `\{1, 2\}`. */
  | { kind: "set"; items: Answer[] }
  | { kind: "interval"; lo: MathNode; hi: MathNode; loClosed: boolean; hiClosed: boolean }
  | { kind: "union"; parts: Answer[] }
  /** `a = b`, `x < 3`, `-2 ≤ x ≤ 7`: sides joined by `ops` (one fewer than sides). */
  | { kind: "relation"; sides: Answer[]; ops: RelationOp[] }
  /** A multiple-choice letter, upper case. */
  | { kind: "choice"; letter: string }
  /** Prose: lower case, single spaces. */
  | { kind: "text"; text: string };

export const num = (value: Rational, places: number | null = null, significant = 0): MathNode => ({ kind: "number", value, places, significant });
export const sym = (name: string): MathNode => ({ kind: "symbol", name });
export const expr = (node: MathNode): Answer => ({ kind: "expr", node });
